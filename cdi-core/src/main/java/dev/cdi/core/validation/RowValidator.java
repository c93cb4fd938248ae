package dev.cdi.core.validation;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.SourceRow;
import dev.cdi.api.Watermark;
import dev.cdi.api.WriteMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Validates a source row against its data type's rules (SPEC section 5) and resolves it to exactly one target
 * (section 6): identifier checks, email and E.164 phone normalisation, update-only for {@code BRAZE_ID} and under
 * "update existing users only", and {@code time} filled from {@code UPDATED_AT} for events and purchases.
 *
 * <p>Thread-safe and cheap to share: one instance serves a whole run.
 */
public final class RowValidator {
    private static final int MAX_CATALOG_ID_LENGTH = 250;
    private static final int MAX_IDENTIFIER_LENGTH = 512;

    private final DataType dataType;
    private final boolean updateExistingOnly;
    private final PayloadRules payloadRules = new PayloadRules();
    private volatile TimeField lastTimeField;

    private RowValidator(DataType dataType, boolean updateExistingOnly) {
        this.dataType = requireNonNull(dataType, "dataType is null");
        this.updateExistingOnly = updateExistingOnly;
    }

    /**
     * A validator for one data type.
     *
     * @param dataType the integration's data type
     * @param updateExistingOnly whether rows may only update existing users
     * @return the validator
     */
    public static RowValidator of(DataType dataType, boolean updateExistingOnly) {
        return new RowValidator(dataType, updateExistingOnly);
    }

    /**
     * Validates and resolves one row.
     *
     * @param row the source row
     * @return the resolved row, or the first rule it breaks
     */
    public RowVerdict validate(SourceRow row) {
        requireNonNull(row, "row is null");
        Optional<Instant> updatedAt = row.updatedAt();
        if (updatedAt.isEmpty()) {
            return invalid(row, RowErrorCode.NULL_UPDATED_AT, "UPDATED_AT is NULL; the row can never be synced until it is set");
        }
        if (updatedAt.get().isBefore(Watermark.MIN_UPDATED_AT) || updatedAt.get().isAfter(Watermark.MAX_UPDATED_AT)) {
            return new RowVerdict.Invalid(outOfRange(row));
        }
        try {
            return new RowVerdict.Valid(resolve(row, updatedAt.get()));
        } catch (RowProblem problem) {
            return invalid(row, problem.code(), problem.getMessage());
        }
    }

    /**
     * The row error of a row whose {@code UPDATED_AT} lies outside the range CDI handles ({@code -infinity}, a year
     * BC, {@code +infinity}). Its value is not repeated: a driver may not read such a value faithfully.
     *
     * @param row a row selected for being out of range
     * @return an {@link RowErrorCode#INVALID_UPDATED_AT} error with the row's identifier
     */
    public RowError outOfRange(SourceRow row) {
        requireNonNull(row, "row is null");
        return new RowError(RowErrorCode.INVALID_UPDATED_AT, "UPDATED_AT is outside the range CDI syncs, "
                + Watermark.MIN_UPDATED_AT + " to " + Watermark.MAX_UPDATED_AT + " (such as -infinity or a date BC);"
                + " the row is reported on every run until its UPDATED_AT is corrected", identifierForError(row),
                Optional.empty(), row.value(Column.PAYLOAD));
    }

    private ResolvedRow resolve(SourceRow row, Instant updatedAt) {
        Identifier identifier = dataType == DataType.CATALOG ? catalogItem(row) : user(row);
        boolean deleted = dataType == DataType.CATALOG && isDeleted(row);
        Optional<String> payload = Optional.empty();
        if (dataType.hasPayload() && !deleted) {
            String text = row.value(Column.PAYLOAD)
                    .orElseThrow(() -> new RowProblem(RowErrorCode.MISSING_PAYLOAD, "PAYLOAD is NULL"));
            PayloadRules.Findings findings = payloadRules.check(dataType, text);
            boolean needsTime = (dataType == DataType.EVENTS || dataType == DataType.PURCHASES) && !findings.hasTime;
            payload = Optional.of(needsTime ? withTime(text, updatedAt, findings.fieldCount) : text);
        }
        WriteMode writeMode = identifier instanceof Identifier.BrazeId || (updateExistingOnly && dataType.targetsUsers())
                ? WriteMode.UPDATE_ONLY : WriteMode.CREATE_OR_UPDATE;
        return new ResolvedRow(dataType, identifier, writeMode, updatedAt, payload, deleted);
    }

    private Identifier user(SourceRow row) {
        // Plain locals rather than Optionals: this runs once per row.
        String externalId = identifierOrNull(row, Column.EXTERNAL_ID, MAX_IDENTIFIER_LENGTH);
        String aliasName = identifierOrNull(row, Column.ALIAS_NAME, MAX_IDENTIFIER_LENGTH);
        String aliasLabel = identifierOrNull(row, Column.ALIAS_LABEL, MAX_IDENTIFIER_LENGTH);
        String brazeId = identifierOrNull(row, Column.BRAZE_ID, MAX_IDENTIFIER_LENGTH);
        String email = identifierOrNull(row, Column.EMAIL, EmailAddresses.MAX_LENGTH);
        String phone = identifierOrNull(row, Column.PHONE, Integer.MAX_VALUE);
        if ((aliasName == null) != (aliasLabel == null)) {
            throw new RowProblem(RowErrorCode.INCOMPLETE_ALIAS,
                    "Only " + (aliasName != null ? "ALIAS_NAME" : "ALIAS_LABEL") + " is set; a user alias needs both");
        }
        if (dataType == DataType.USER_DELETES && (email != null || phone != null)) {
            throw new RowProblem(RowErrorCode.IDENTIFIER_NOT_ALLOWED, (email != null ? "EMAIL" : "PHONE")
                    + " cannot identify a user to delete; use EXTERNAL_ID, ALIAS_NAME and ALIAS_LABEL, or BRAZE_ID");
        }
        int kinds = (externalId != null ? 1 : 0) + (aliasName != null ? 1 : 0) + (brazeId != null ? 1 : 0)
                + (email != null ? 1 : 0) + (phone != null ? 1 : 0);
        if (kinds == 0) {
            throw new RowProblem(RowErrorCode.MISSING_IDENTIFIER,
                    "No identifier is set; set one of EXTERNAL_ID, ALIAS_NAME+ALIAS_LABEL, BRAZE_ID, EMAIL or PHONE");
        }
        boolean emailWithPhone = kinds == 2 && email != null && phone != null;
        if (kinds > 1 && !emailWithPhone) {
            List<String> set = new ArrayList<>(kinds);
            if (externalId != null) {
                set.add("EXTERNAL_ID");
            }
            if (aliasName != null) {
                set.add("ALIAS_NAME+ALIAS_LABEL");
            }
            if (brazeId != null) {
                set.add("BRAZE_ID");
            }
            if (email != null) {
                set.add("EMAIL");
            }
            if (phone != null) {
                set.add("PHONE");
            }
            throw new RowProblem(RowErrorCode.MULTIPLE_IDENTIFIERS,
                    "Several identifiers are set (" + String.join(", ", set) + "); set exactly one (EMAIL with PHONE is allowed)");
        }
        if (externalId != null) {
            return new Identifier.ExternalId(externalId);
        }
        if (aliasName != null) {
            return new Identifier.UserAlias(aliasName, aliasLabel);
        }
        if (brazeId != null) {
            return new Identifier.BrazeId(brazeId);
        }
        if (email != null) {
            return new Identifier.Email(EmailAddresses.normalise(email).orElseThrow(
                    () -> new RowProblem(RowErrorCode.INVALID_EMAIL, "EMAIL is not a valid email address")));
        }
        return new Identifier.Phone(PhoneNumbers.normalise(phone));
    }

    /**
     * An identifier column's value, or null when it is NULL or empty (warehouses often write '' for "no value").
     * A value that is only white space, holds a control character or is too long is refused rather than ignored:
     * it was meant to identify someone.
     */
    private static String identifierOrNull(SourceRow row, Column column, int maxLength) {
        String value = row.value(column).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        boolean blank = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > ' ' && c < 0x7F) {
                // Printable ASCII, nearly every character of an identifier: neither a control character nor blank.
                blank = false;
                continue;
            }
            if (Character.isISOControl(c)) {
                throw new RowProblem(RowErrorCode.INVALID_IDENTIFIER, column + " holds the control character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + " at position " + (i + 1)
                        + "; identifiers may not contain NUL, line breaks or other control characters");
            }
            blank &= Character.isWhitespace(c) || Character.isSpaceChar(c);
        }
        if (blank) {
            throw new RowProblem(RowErrorCode.INVALID_IDENTIFIER, column + " is only white space ("
                    + value.length() + " characters); leave it NULL or set a real value");
        }
        if (value.length() > maxLength) {
            throw new RowProblem(RowErrorCode.INVALID_IDENTIFIER, column + " is " + value.length()
                    + " characters long; at most " + maxLength + " are allowed");
        }
        return value;
    }

    private static Identifier catalogItem(SourceRow row) {
        String id = row.value(Column.ID).orElse("");
        if (id.isEmpty() || id.length() > MAX_CATALOG_ID_LENGTH || !isCatalogIdText(id)) {
            throw new RowProblem(RowErrorCode.INVALID_CATALOG_ID, id.isEmpty() ? "ID is missing"
                    : "ID must be at most " + MAX_CATALOG_ID_LENGTH + " characters of letters, digits, '-' and '_'");
        }
        return new Identifier.CatalogItemId(id);
    }

    private static boolean isCatalogIdText(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDeleted(SourceRow row) {
        Optional<String> deleted = row.value(Column.DELETED);
        if (deleted.isEmpty()) {
            return false;
        }
        switch (deleted.get().strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "1", "yes":
                return true;
            case "false", "f", "0", "no":
                return false;
            default:
                throw new RowProblem(RowErrorCode.INVALID_FIELD, "DELETED must be true or false");
        }
    }

    /** Inserts {@code "time"} as the object's first field without re-serialising the rest. */
    private String withTime(String payload, Instant updatedAt, int fieldCount) {
        int brace = payload.indexOf('{');
        String time = timeField(updatedAt);
        return "{" + time + (fieldCount > 0 ? "," : "") + payload.substring(brace + 1);
    }

    /** The {@code "time"} field for an instant; rows of one group share it, so the last one is remembered. */
    private String timeField(Instant updatedAt) {
        TimeField last = lastTimeField;
        if (last == null || !last.instant().equals(updatedAt)) {
            last = new TimeField(updatedAt, "\"time\":\"" + DateTimeFormatter.ISO_INSTANT.format(updatedAt) + "\"");
            lastTimeField = last;
        }
        return last.text();
    }

    private record TimeField(Instant instant, String text) {
    }

    /** A column's value for a row error: at most an excerpt, so that one huge value cannot bloat the history. */
    private static Optional<String> nonBlank(SourceRow row, Column column) {
        return row.value(column).filter(value -> !value.isBlank())
                .map(value -> value.length() > RowError.PAYLOAD_EXCERPT_LENGTH
                        ? value.substring(0, RowError.PAYLOAD_EXCERPT_LENGTH) : value);
    }

    private RowVerdict invalid(SourceRow row, RowErrorCode code, String message) {
        return new RowVerdict.Invalid(new RowError(code, message, identifierForError(row), row.updatedAt(),
                row.value(Column.PAYLOAD)));
    }

    /** The identifier a row error names: the first one set, as written, so the user can find the row. */
    private Optional<Identifier> identifierForError(SourceRow row) {
        if (dataType == DataType.CATALOG) {
            return nonBlank(row, Column.ID).map(Identifier.CatalogItemId::new);
        }
        Optional<String> aliasName = nonBlank(row, Column.ALIAS_NAME);
        Optional<String> aliasLabel = nonBlank(row, Column.ALIAS_LABEL);
        return nonBlank(row, Column.EXTERNAL_ID).<Identifier>map(Identifier.ExternalId::new)
                .or(() -> aliasName.isPresent() && aliasLabel.isPresent()
                        ? Optional.of(new Identifier.UserAlias(aliasName.get(), aliasLabel.get())) : Optional.empty())
                .or(() -> nonBlank(row, Column.BRAZE_ID).map(Identifier.BrazeId::new))
                .or(() -> nonBlank(row, Column.EMAIL).map(Identifier.Email::new))
                .or(() -> nonBlank(row, Column.PHONE).map(Identifier.Phone::new));
    }
}

package dev.cdi.core.notify;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whom to tell about an integration's runs, and about which runs. Sync-level errors ({@code ERROR},
 * {@code CONFIG_ERROR}, {@code LIMIT_EXCEEDED}) are always notified; the flags here add the others. Build with
 * {@link #builder()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param contactEmails the recipients, at least one, each a valid address; trimmed, domain lower-cased, duplicates
 *        removed
 * @param notifyRowErrors whether a completed run with row errors is notified (when its failed share reaches the
 *        threshold); default false
 * @param rowErrorThresholdPercent 0 to 100: a run's row errors are notified when {@code rowsFailed * 100 / rowsRead}
 *        is at or above it (and at least one row failed); default 0, so any row error
 * @param notifyOnSuccess whether a successful run that synced at least one row is notified; default false
 * @param notifyOnSuccessWithZeroRows whether a successful run that synced no row is notified; default false
 */
public record NotificationPreferences(
        List<String> contactEmails,
        boolean notifyRowErrors,
        int rowErrorThresholdPercent,
        boolean notifyOnSuccess,
        boolean notifyOnSuccessWithZeroRows) {

    private static final int MAX_EMAIL_LENGTH = 254;

    /** Validates and normalises the contact emails, and checks the threshold's range. */
    public NotificationPreferences {
        requireNonNull(contactEmails, "contactEmails is null");
        if (contactEmails.isEmpty()) {
            throw invalid("contactEmails must name at least one email address");
        }
        Set<String> emails = new LinkedHashSet<>();
        for (int i = 0; i < contactEmails.size(); i++) {
            emails.add(normaliseEmail(contactEmails.get(i), "contactEmails[" + i + "]"));
        }
        contactEmails = List.copyOf(emails);
        if (rowErrorThresholdPercent < 0 || rowErrorThresholdPercent > 100) {
            throw invalid("rowErrorThresholdPercent must be between 0 and 100, was " + rowErrorThresholdPercent);
        }
    }

    /**
     * A builder holding the defaults (row errors, successes and zero-row successes not notified; threshold 0)
     * and no contact email.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these preferences.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .contactEmails(contactEmails)
                .notifyRowErrors(notifyRowErrors)
                .rowErrorThresholdPercent(rowErrorThresholdPercent)
                .notifyOnSuccess(notifyOnSuccess)
                .notifyOnSuccessWithZeroRows(notifyOnSuccessWithZeroRows);
    }

    // A plain check, not RFC 5322: one '@', a dotted domain, and nothing that could break a mail header.
    private static String normaliseEmail(String raw, String field) {
        if (raw == null) {
            throw invalid(field + " is null");
        }
        String email = raw.strip();
        int at = email.indexOf('@');
        boolean valid = email.length() <= MAX_EMAIL_LENGTH
                && at > 0
                && at == email.lastIndexOf('@')
                && at < email.length() - 1
                && email.chars().noneMatch(c -> c <= ' ' || c == 127 || "<>(),;:\\\"[]".indexOf(c) >= 0);
        String domain = valid ? email.substring(at + 1).toLowerCase(Locale.ROOT) : "";
        if (!valid || !domain.contains(".") || domain.startsWith(".") || domain.endsWith(".")
                || domain.contains("..")) {
            throw invalid(field + " is not a valid email address: '" + email + "'");
        }
        return email.substring(0, at) + "@" + domain;
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /**
     * Builds {@link NotificationPreferences}; validation happens in {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private final List<String> contactEmails = new ArrayList<>();
        private boolean notifyRowErrors;
        private int rowErrorThresholdPercent;
        private boolean notifyOnSuccess;
        private boolean notifyOnSuccessWithZeroRows;

        private Builder() {
        }

        /**
         * Replaces the contact emails.
         *
         * @param contactEmails the addresses
         * @return this builder
         */
        public Builder contactEmails(List<String> contactEmails) {
            this.contactEmails.clear();
            this.contactEmails.addAll(requireNonNull(contactEmails, "contactEmails is null"));
            return this;
        }

        /**
         * Adds one contact email.
         *
         * @param contactEmail the address
         * @return this builder
         */
        public Builder addContactEmail(String contactEmail) {
            contactEmails.add(contactEmail);
            return this;
        }

        /**
         * Sets whether row errors are notified.
         *
         * @param notifyRowErrors the flag
         * @return this builder
         */
        public Builder notifyRowErrors(boolean notifyRowErrors) {
            this.notifyRowErrors = notifyRowErrors;
            return this;
        }

        /**
         * Sets the failed share of a run, in percent, from which its row errors are notified.
         *
         * @param rowErrorThresholdPercent 0 to 100
         * @return this builder
         */
        public Builder rowErrorThresholdPercent(int rowErrorThresholdPercent) {
            this.rowErrorThresholdPercent = rowErrorThresholdPercent;
            return this;
        }

        /**
         * Sets whether successful runs that synced rows are notified.
         *
         * @param notifyOnSuccess the flag
         * @return this builder
         */
        public Builder notifyOnSuccess(boolean notifyOnSuccess) {
            this.notifyOnSuccess = notifyOnSuccess;
            return this;
        }

        /**
         * Sets whether successful runs that synced no row are notified.
         *
         * @param notifyOnSuccessWithZeroRows the flag
         * @return this builder
         */
        public Builder notifyOnSuccessWithZeroRows(boolean notifyOnSuccessWithZeroRows) {
            this.notifyOnSuccessWithZeroRows = notifyOnSuccessWithZeroRows;
            return this;
        }

        /**
         * Validates and builds the preferences.
         *
         * @return the preferences
         * @throws CdiException {@code INVALID_CONFIGURATION}, naming the field, when a value is invalid
         */
        public NotificationPreferences build() {
            return new NotificationPreferences(new ArrayList<>(contactEmails), notifyRowErrors,
                    rowErrorThresholdPercent, notifyOnSuccess, notifyOnSuccessWithZeroRows);
        }
    }
}

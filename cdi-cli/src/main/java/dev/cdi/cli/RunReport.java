package dev.cdi.cli;

import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RunResult;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * The human summary of a run: a headline, the sync-level error if any, and the first row errors.
 *
 * <pre>
 * attributes: PARTIAL in 0.42 s; rows read 43, synced 37, failed 6, deferred 0; watermark 2025-06-03T07:05:00Z
 *   error CONFIG: ...
 *   row error INVALID_JSON: PAYLOAD is not valid JSON ... [external_id u0007, UPDATED_AT 2025-06-01T10:14:00Z]
 *   (and 12 more row errors)
 * </pre>
 *
 * <p>Thread-safe (stateless).
 */
final class RunReport {
    /** Enough to see what kinds of errors a table has without flooding a terminal; --json gives them all. */
    static final int ROW_ERRORS_SHOWN = 20;

    private RunReport() {
    }

    /**
     * Formats a run.
     *
     * @param result the run
     * @return the summary, one or more lines, each ending with a line break
     */
    static String format(RunResult result) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT,
                "%s: %s in %.2f s; rows read %d, synced %d, failed %d, deferred %d; watermark %s%n",
                result.integration(), result.status(), result.duration().toMillis() / 1000.0, result.rowsRead(),
                result.rowsSynced(), result.rowsFailed(), result.rowsDeferred(),
                instant(result.watermark().map(watermark -> watermark.updatedAt()), "none")));
        result.error().ifPresent(error -> text.append("  error ").append(error.category()).append(": ")
                .append(error.message()).append(System.lineSeparator()));
        int shown = 0;
        for (RowError rowError : result.rowErrors()) {
            if (shown == ROW_ERRORS_SHOWN) {
                break;
            }
            text.append("  row error ").append(rowError.code()).append(": ").append(rowError.message())
                    .append(" [").append(rowError.identifier().map(RunReport::identifier).orElse("no identifier"))
                    .append(", UPDATED_AT ").append(instant(rowError.updatedAt(), "NULL")).append(']')
                    .append(System.lineSeparator());
            shown++;
        }
        if (result.rowsFailed() > shown) {
            text.append("  (and ").append(result.rowsFailed() - shown).append(" more row errors)")
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * An identifier as the reports show it, such as {@code external_id u0007}.
     *
     * @param identifier the identifier
     * @return its text
     */
    static String identifier(Identifier identifier) {
        if (identifier instanceof Identifier.UserAlias alias) {
            return "user_alias " + alias.name() + " (label " + alias.label() + ")";
        }
        return identifier.typeName() + " " + value(identifier);
    }

    private static String value(Identifier identifier) {
        if (identifier instanceof Identifier.ExternalId id) {
            return id.value();
        } else if (identifier instanceof Identifier.BrazeId id) {
            return id.value();
        } else if (identifier instanceof Identifier.Email email) {
            return email.value();
        } else if (identifier instanceof Identifier.Phone phone) {
            return phone.value();
        } else if (identifier instanceof Identifier.CatalogItemId item) {
            return item.value();
        }
        return "";
    }

    /**
     * An instant in ISO-8601 at its own precision, or a word when absent.
     *
     * @param instant the instant
     * @param absent the text when there is none
     * @return the text
     */
    /**
     * The time of an event of CDI's own, such as a run's start, to the second: enough to tell runs apart on screen.
     *
     * @param instant the instant
     * @return the text, such as {@code 2026-11-29T09:14:05Z}
     */
    static String seconds(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String instant(Optional<Instant> instant, String absent) {
        return instant.map(DateTimeFormatter.ISO_INSTANT::format).orElse(absent);
    }
}

package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Experimental;
import java.time.Instant;
import java.util.function.Function;

/**
 * The query that returns the warehouse's current time in one row and one column, and how to read it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sql the SQL text, without parameters
 * @param readAs the form of the value; {@link ValueForm#TEXT} means {@code textParser} reads it
 * @param textParser reads a {@link ValueForm#TEXT} value (for a warehouse whose clock answers in a text of its own);
 *        must throw {@link IllegalArgumentException} for text it does not understand
 */
@Experimental
public record CurrentTimeQuery(String sql, ValueForm readAs, Function<String, Instant> textParser) {

    /** Checks every part. */
    public CurrentTimeQuery {
        requireNonNull(sql, "sql is null");
        requireNonNull(readAs, "readAs is null");
        requireNonNull(textParser, "textParser is null");
        if (readAs != ValueForm.TEXT && !readAs.isInstant()) {
            throw new IllegalArgumentException("the current time cannot be read as " + readAs);
        }
    }

    /**
     * A query whose value is an instant in one of the instant forms.
     *
     * @param sql the SQL text
     * @param readAs the form, one that {@link ValueForm#isInstant() is an instant}
     * @return the query
     */
    public static CurrentTimeQuery of(String sql, ValueForm readAs) {
        if (!readAs.isInstant()) {
            throw new IllegalArgumentException(readAs + " is not an instant form");
        }
        return new CurrentTimeQuery(sql, readAs, UtcTimestamps::parse);
    }

    /**
     * A query whose value is text in the warehouse's own format.
     *
     * @param sql the SQL text
     * @param textParser reads the text
     * @return the query
     */
    public static CurrentTimeQuery parsingText(String sql, Function<String, Instant> textParser) {
        return new CurrentTimeQuery(sql, ValueForm.TEXT, textParser);
    }
}

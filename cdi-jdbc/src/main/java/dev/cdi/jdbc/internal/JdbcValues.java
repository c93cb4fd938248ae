package dev.cdi.jdbc.internal;

import dev.cdi.sql.UtcTimestamps;
import dev.cdi.sql.ValueForm;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads a selected value in the {@link ValueForm} its column mapping names. Called once per row and column: the
 * form was chosen when the table was described, so no type name is looked at here. Returns {@code null} for SQL
 * NULL, to allocate nothing on the hot path (this class is internal; nothing here crosses the API).
 */
public final class JdbcValues {

    private JdbcValues() {
    }

    /**
     * Reads an instant.
     *
     * @param resultSet the result set, on a row
     * @param index the 1-based column index
     * @param form the form, one that {@link ValueForm#isInstant() is an instant}
     * @return the instant, or null for SQL NULL
     * @throws SQLException when the driver fails or UTC text is malformed
     */
    public static Instant readInstant(ResultSet resultSet, int index, ValueForm form) throws SQLException {
        switch (form) {
            case EPOCH_SECONDS, EPOCH_MILLIS, EPOCH_MICROS, EPOCH_NANOS: {
                long amount = resultSet.getLong(index);
                return resultSet.wasNull() ? null : UtcTimestamps.fromEpoch(amount, form.epochUnit().orElseThrow());
            }
            case UTC_TEXT: {
                String text = resultSet.getString(index);
                if (text == null) {
                    return null;
                }
                try {
                    return UtcTimestamps.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new SQLException("UPDATED_AT could not be read: " + e.getMessage(), "22007", e);
                }
            }
            case OFFSET_DATE_TIME: {
                OffsetDateTime value = resultSet.getObject(index, OffsetDateTime.class);
                return value == null ? null : value.toInstant();
            }
            case LOCAL_DATE_TIME: {
                LocalDateTime value = resultSet.getObject(index, LocalDateTime.class);
                return value == null ? null : value.toInstant(ZoneOffset.UTC);
            }
            case TEXT, BOOLEAN:
                throw new IllegalArgumentException(form + " is not an instant form");
        }
        throw new AssertionError(form);
    }

    /**
     * Reads a text value: text as it is, a boolean as {@code "true"} or {@code "false"}.
     *
     * @param resultSet the result set, on a row
     * @param index the 1-based column index
     * @param form {@link ValueForm#TEXT} or {@link ValueForm#BOOLEAN}
     * @return the text, or null for SQL NULL
     * @throws SQLException when the driver fails
     */
    public static String readText(ResultSet resultSet, int index, ValueForm form) throws SQLException {
        switch (form) {
            case TEXT:
                return resultSet.getString(index);
            case BOOLEAN: {
                boolean value = resultSet.getBoolean(index);
                return resultSet.wasNull() ? null : value ? "true" : "false";
            }
            case EPOCH_SECONDS, EPOCH_MILLIS, EPOCH_MICROS, EPOCH_NANOS, UTC_TEXT, OFFSET_DATE_TIME, LOCAL_DATE_TIME:
                throw new IllegalArgumentException(form + " is not a text form");
        }
        throw new AssertionError(form);
    }
}

package dev.cdi.redshift;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.UtcTimestamps;
import dev.cdi.sql.ValueForm;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * Amazon Redshift's SQL, as its JDBC driver speaks it.
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMPTZ} or {@code TIMESTAMP} (which holds UTC wall-clock time); both
 * keep microseconds. They are selected as text with
 * {@code to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')} (without {@code AT TIME ZONE} for
 * {@code TIMESTAMP}) and parsed here: the text is exact to the microsecond and involves neither the JVM's nor the
 * session's time zone, whereas the driver's {@code java.sql.Timestamp} goes through the JVM's zone and
 * {@code EXTRACT(EPOCH ...)} is a {@code double} that loses microseconds. Comparisons bind UTC text cast to the
 * column's own type ({@code CAST(? AS TIMESTAMPTZ)} with a {@code +00:00} offset, or {@code CAST(? AS TIMESTAMP)}),
 * so Redshift compares the column itself and can skip blocks by its zone maps.
 *
 * <p>{@code PAYLOAD} may be {@code VARCHAR}, {@code CHAR}, {@code TEXT} or {@code SUPER}, all read as text. The
 * driver cannot read PostgreSQL's {@code jsonb} at all (it fails on the type's id, 3802), so such a column is
 * refused when the table is described, with the advice to cast it in a view.
 *
 * <p>The current time is {@code SELECT timeofday()}: the time of the current statement with microseconds, on
 * Redshift and PostgreSQL alike ({@code CURRENT_TIMESTAMP} and {@code now()} are no longer supported by Redshift,
 * and {@code GETDATE()} and {@code SYSDATE} exist only there). Its text names the session's time zone, so the
 * connector sets the session's time zone to UTC on every connection and this dialect refuses any other.
 *
 * <p>Immutable and thread-safe.
 */
final class RedshiftDialect implements JdbcDialect {

    /** The SQL that every pooled connection runs once: the session time zone that {@link #parseTimeOfDay} expects. */
    static final String SESSION_TIME_ZONE_SQL = "SET timezone TO 'UTC'";

    private static final String TIMESTAMP_FORMAT = "'YYYY-MM-DD HH24:MI:SS.US'";
    private static final int JSONB_TYPE_ID = 3802;
    private static final String UNKNOWN_TYPE_MESSAGE = "Unknown oid found";
    private static final String[] MONTHS =
            {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    @Override
    public String name() {
        return "redshift";
    }

    // ---- column types ----

    @Override
    public String columnTypeName(ResultSetMetaData metaData, int column) throws SQLException {
        try {
            return metaData.getColumnTypeName(column);
        } catch (SQLException e) {
            // The driver knows only Redshift's types; it names a PostgreSQL-only type by its id in the message.
            Optional<Long> typeId = unknownTypeId(e);
            if (typeId.isPresent()) {
                return typeId.get() == JSONB_TYPE_ID ? "jsonb" : "unknown type (id " + typeId.get() + ")";
            }
            throw e;
        }
    }

    @Override
    public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        boolean zoned;
        switch (type.base()) {
            case "TIMESTAMPTZ":
            case "TIMESTAMP WITH TIME ZONE":
                zoned = true;
                break;
            case "TIMESTAMP":
            case "TIMESTAMP WITHOUT TIME ZONE":
                zoned = false;
                break;
            default:
                return Optional.empty();
        }
        String utc = zoned ? " AT TIME ZONE 'UTC'" : "";
        return Optional.of(ColumnMapping.timestamp(column -> "to_char(" + column + utc + ", " + TIMESTAMP_FORMAT + ")",
                ValueForm.UTC_TEXT, new TimestampComparison(ChronoUnit.MICROS, zoned, zoned ? "TIMESTAMPTZ" : "TIMESTAMP")));
    }

    @Override
    public Optional<ColumnMapping> payloadMapping(SourceType type) {
        switch (type.base()) {
            case "VARCHAR":
            case "CHARACTER VARYING":
            case "NVARCHAR":
            case "TEXT":
            case "BPCHAR":
            case "CHAR":
            case "CHARACTER":
            case "NCHAR":
            case "SUPER":
                return Optional.of(ColumnMapping.of(ValueForm.TEXT));
            case "JSONB":
                throw new CdiException(ErrorCode.INVALID_COLUMN_TYPE, "Column PAYLOAD has type jsonb, which the"
                        + " Redshift JDBC driver cannot read (it fails on the type's id, " + JSONB_TYPE_ID + "); create"
                        + " a view that casts it to text, such as CREATE VIEW ... AS SELECT ..., payload::varchar AS"
                        + " payload FROM ..., and sync the view");
            default:
                return Optional.empty();
        }
    }

    @Override
    public Optional<ColumnMapping> deletedMapping(SourceType type) {
        boolean bool = type.base().equals("BOOL") || type.base().equals("BOOLEAN");
        return bool ? Optional.of(ColumnMapping.of(ValueForm.BOOLEAN)) : Optional.empty();
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "TIMESTAMPTZ or TIMESTAMP (UTC)";
            case PAYLOAD -> "VARCHAR, CHAR, TEXT or SUPER";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> JdbcDialect.super.supportedTypes(column);
        };
    }

    // ---- current time ----

    @Override
    public CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.parsingText("SELECT timeofday()", RedshiftDialect::parseTimeOfDay);
    }

    /** Reads {@code Sun Nov 29 07:51:20.929698 2026 UTC}: weekday, month, day, time, year, zone. */
    static Instant parseTimeOfDay(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 6 || !parts[5].equals("UTC")) {
            throw new IllegalArgumentException("expected a time in UTC, the session time zone the connector sets with "
                    + SESSION_TIME_ZONE_SQL);
        }
        String day = parts[2].length() == 1 ? "0" + parts[2] : parts[2];
        return UtcTimestamps.parse(parts[4] + "-" + monthNumber(parts[1]) + "-" + day + " " + parts[3]);
    }

    // ---- errors ----

    @Override
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return RedshiftErrors.classify(exception);
    }

    // ---- helpers ----

    static Optional<Long> unknownTypeId(SQLException exception) {
        String message = exception.getMessage();
        if (message == null || !message.startsWith(UNKNOWN_TYPE_MESSAGE)) {
            return Optional.empty();
        }
        int end = message.length();
        int start = end;
        while (start > 0 && Character.isDigit(message.charAt(start - 1))) {
            start--;
        }
        return start == end ? Optional.empty() : Optional.of(Long.parseLong(message.substring(start, end)));
    }

    /** The month's two digits. */
    private static String monthNumber(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(upper)) {
                return i < 9 ? "0" + (i + 1) : Integer.toString(i + 1);
            }
        }
        throw new IllegalArgumentException("unknown month " + name);
    }
}

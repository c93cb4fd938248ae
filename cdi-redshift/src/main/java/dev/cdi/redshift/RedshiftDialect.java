package dev.cdi.redshift;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import dev.cdi.jdbc.JdbcDialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
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
 * column's own type ({@code CAST(? AS TIMESTAMPTZ)} with a {@code +00} offset, or {@code CAST(? AS TIMESTAMP)}),
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
final class RedshiftDialect extends JdbcDialect {

    /** The SQL that every pooled connection runs once: the session time zone that {@link #readCurrentTime} expects. */
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
    public boolean isUpdatedAtType(String sourceType) {
        return timestampKind(sourceType).isPresent();
    }

    @Override
    public boolean isZonedTimestamp(String sourceType) {
        return timestampKind(sourceType).orElse(false);
    }

    @Override
    public boolean isPayloadType(String sourceType) {
        switch (baseTypeName(sourceType)) {
            case "VARCHAR":
            case "CHARACTER VARYING":
            case "NVARCHAR":
            case "TEXT":
            case "BPCHAR":
            case "CHAR":
            case "CHARACTER":
            case "NCHAR":
            case "SUPER":
                return true;
            default:
                return false;
        }
    }

    @Override
    public boolean isDeletedType(String sourceType) {
        String base = baseTypeName(sourceType);
        return base.equals("BOOL") || base.equals("BOOLEAN");
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "TIMESTAMPTZ or TIMESTAMP (UTC)";
            case PAYLOAD -> "VARCHAR, CHAR, TEXT or SUPER";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> super.supportedTypes(column);
        };
    }

    @Override
    public void checkColumnType(TableName table, Column column, String sourceType) {
        requireNonNull(table, "table is null");
        requireNonNull(sourceType, "sourceType is null");
        if (column == Column.PAYLOAD && baseTypeName(sourceType).equals("JSONB")) {
            throw new CdiException(ErrorCode.INVALID_COLUMN_TYPE, "Column PAYLOAD of table " + table + " has type"
                    + " jsonb, which the Redshift JDBC driver cannot read (it fails on the type's id, " + JSONB_TYPE_ID
                    + "); create a view that casts it to text, such as CREATE VIEW ... AS SELECT ..., payload::varchar"
                    + " AS payload FROM ..., and sync the view");
        }
        super.checkColumnType(table, column, sourceType);
    }

    // ---- UPDATED_AT ----

    @Override
    public String selectUpdatedAt(String quotedColumn, String sourceType) {
        String utc = isZonedTimestamp(sourceType) ? quotedColumn + " AT TIME ZONE 'UTC'" : quotedColumn;
        return "to_char(" + utc + ", " + TIMESTAMP_FORMAT + ")";
    }

    @Override
    public Optional<Instant> readUpdatedAt(ResultSet resultSet, int index, String sourceType) throws SQLException {
        String text = resultSet.getString(index);
        return text == null ? Optional.empty() : Optional.of(parseUtc(text));
    }

    @Override
    public ChronoUnit updatedAtPrecision(String sourceType) {
        return ChronoUnit.MICROS;
    }

    @Override
    public String updatedAtParameter(String sourceType) {
        return isZonedTimestamp(sourceType) ? "CAST(? AS TIMESTAMPTZ)" : "CAST(? AS TIMESTAMP)";
    }

    @Override
    public void bindUpdatedAt(PreparedStatement statement, int index, Instant value, String sourceType)
            throws SQLException {
        String text = formatUtc(value, ChronoUnit.MICROS);
        statement.setString(index, isZonedTimestamp(sourceType) ? text + "+00" : text);
    }

    // ---- current time ----

    @Override
    public String currentTimeQuery() {
        return "SELECT timeofday()";
    }

    /** Reads {@code Sun Nov 29 07:51:20.929698 2026 UTC}: weekday, month, day, time, year, zone. */
    @Override
    public Instant readCurrentTime(ResultSet resultSet) throws SQLException {
        String text = resultSet.getString(1);
        if (text == null) {
            throw new SQLException("timeofday() returned NULL");
        }
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 6 || !parts[5].equals("UTC")) {
            throw new SQLException("timeofday() returned '" + text + "'; expected a time in UTC, the session time"
                    + " zone the connector sets with " + SESSION_TIME_ZONE_SQL);
        }
        try {
            int month = monthNumber(parts[1]);
            int day = Integer.parseInt(parts[2]);
            int year = Integer.parseInt(parts[4]);
            return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400L)
                    .plusNanos(parseTimeOfDayNanos(parts[3], 0, parts[3].length()));
        } catch (RuntimeException e) {
            throw new SQLException("timeofday() returned '" + text + "', which is not a time", e);
        }
    }

    // ---- errors ----

    @Override
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return RedshiftErrors.classify(exception);
    }

    // ---- helpers ----

    /** Empty when the type is not a timestamp; true for a zoned one. */
    private static Optional<Boolean> timestampKind(String sourceType) {
        switch (baseTypeName(sourceType)) {
            case "TIMESTAMPTZ":
            case "TIMESTAMP WITH TIME ZONE":
                return Optional.of(true);
            case "TIMESTAMP":
            case "TIMESTAMP WITHOUT TIME ZONE":
                return Optional.of(false);
            default:
                return Optional.empty();
        }
    }

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

    /**
     * Parses {@code YYYY-MM-DD HH24:MI:SS.US} as UTC, exactly. Called once per row, so it parses by position
     * rather than through a formatter.
     *
     * @param text the text {@code to_char} produced
     * @return the instant
     * @throws SQLException when the text has another form
     */
    static Instant parseUtc(String text) throws SQLException {
        int yearEnd = text.indexOf('-', 1);
        int length = text.length();
        if (yearEnd < 4 || length != yearEnd + 22 || text.charAt(yearEnd + 3) != '-' || text.charAt(yearEnd + 6) != ' ') {
            throw notATimestamp(text);
        }
        try {
            int year = Integer.parseInt(text, 0, yearEnd, 10);
            int month = digits(text, yearEnd + 1, 2);
            int day = digits(text, yearEnd + 4, 2);
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400L, parseTimeOfDayNanos(text, yearEnd + 7, length));
        } catch (RuntimeException e) {
            throw notATimestamp(text);
        }
    }

    /** Nanoseconds since midnight of {@code HH:MI:SS.ffffff} in {@code text[from, to)}. */
    private static long parseTimeOfDayNanos(String text, int from, int to) {
        if (to - from != 15 || text.charAt(from + 2) != ':' || text.charAt(from + 5) != ':'
                || text.charAt(from + 8) != '.') {
            throw new IllegalArgumentException("not HH:MI:SS.ffffff");
        }
        int hour = digits(text, from, 2);
        int minute = digits(text, from + 3, 2);
        int second = digits(text, from + 6, 2);
        int micros = digits(text, from + 9, 6);
        if (hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException("time out of range");
        }
        return ((hour * 3_600L + minute * 60L + second) * 1_000_000L + micros) * 1_000L;
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a digit");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int monthNumber(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(upper)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unknown month " + name);
    }

    private static SQLException notATimestamp(String text) {
        return new SQLException("UPDATED_AT was read as '" + text + "', which is not YYYY-MM-DD HH24:MI:SS.US");
    }
}

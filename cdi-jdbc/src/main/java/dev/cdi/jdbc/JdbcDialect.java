package dev.cdi.jdbc;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How one warehouse's SQL and JDBC driver differ from the ANSI defaults. A JDBC connector extends this class
 * and overrides the hooks its warehouse needs: how identifiers are quoted, how {@code UPDATED_AT},
 * {@code PAYLOAD} and {@code DELETED} are selected and read, how an instant is bound for a comparison with
 * {@code UPDATED_AT}, how a row limit is written, how the current time is asked for, and which vendor errors
 * mean what. {@link JdbcSourceConnector} assembles every query from these hooks in one place; a dialect never
 * sees or builds a whole query, and values are always bound as parameters.
 *
 * <p>Hooks that select a column and hooks that read it come in pairs and must agree: what
 * {@link #selectUpdatedAt} selects is what {@link #readUpdatedAt} reads, and likewise for
 * {@link #selectPayload} and {@link #readPayload}. Every hook that depends on a column's type receives the
 * source type name exactly as {@link JdbcSourceConnector#describe} reported it (such as
 * {@code TIMESTAMP WITH TIME ZONE} or {@code STRUCT(a INTEGER)}); {@link #baseTypeName} normalises it.
 *
 * <p>The defaults suit a warehouse that speaks ANSI SQL: double-quoted identifiers, {@code LIMIT n},
 * {@code CAST(? AS TIMESTAMP)} with a zone-free text value, {@code CURRENT_TIMESTAMP}.
 *
 * <p>Implementations must be immutable and thread-safe: one dialect serves every query of a connector,
 * concurrently. The select and bind hooks are called once per query; the read hooks once per row and column,
 * so they should allocate little.
 */
public class JdbcDialect {
    private static final Map<String, String> BASE_TYPE_NAMES = new ConcurrentHashMap<>();

    /** Creates the ANSI default dialect; subclasses override what their warehouse does differently. */
    public JdbcDialect() {
    }

    /**
     * A short name of the warehouse for messages, such as {@code duckdb}.
     *
     * @return the name; {@code jdbc} by default
     */
    public String name() {
        return "jdbc";
    }

    // ---- identifiers ----

    /**
     * Quotes one identifier (a database, schema, table or column name) so that it is taken literally, whatever
     * characters it holds. The default uses ANSI double quotes and doubles any double quote inside.
     *
     * @param identifier the name as written, not empty
     * @return the quoted identifier
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the name is empty or holds a
     *         control character
     */
    public String quoteIdentifier(String identifier) {
        checkIdentifier(identifier);
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * Renders a table name for a {@code FROM} clause: each part quoted by {@link #quoteIdentifier}, joined by
     * dots.
     *
     * @param table the table or view
     * @return the qualified, quoted name
     */
    public String qualifiedTableName(TableName table) {
        requireNonNull(table, "table is null");
        StringBuilder sql = new StringBuilder();
        table.database().ifPresent(database -> sql.append(quoteIdentifier(database)).append('.'));
        return sql.append(quoteIdentifier(table.schema())).append('.').append(quoteIdentifier(table.table()))
                .toString();
    }

    // ---- column types ----

    /**
     * The source type name of a column as the driver describes it; the default is
     * {@link ResultSetMetaData#getColumnTypeName}.
     *
     * @param metaData the metadata of a zero-row query over the table
     * @param column the 1-based column index
     * @return the source type name
     * @throws SQLException when the driver fails
     */
    public String columnTypeName(ResultSetMetaData metaData, int column) throws SQLException {
        return metaData.getColumnTypeName(column);
    }

    /**
     * Whether this dialect can read {@code UPDATED_AT} from a column of this type. The default accepts every
     * {@code TIMESTAMP...} and {@code DATETIME...} type.
     *
     * @param sourceType the source type name
     * @return true when supported
     */
    public boolean isUpdatedAtType(String sourceType) {
        String base = baseTypeName(sourceType);
        return base.startsWith("TIMESTAMP") || base.startsWith("DATETIME");
    }

    /**
     * Whether this dialect can read {@code PAYLOAD} as JSON text from a column of this type. The default accepts
     * character, text, string, JSON and CLOB types.
     *
     * @param sourceType the source type name
     * @return true when supported
     */
    public boolean isPayloadType(String sourceType) {
        String base = baseTypeName(sourceType);
        return base.contains("CHAR") || base.contains("TEXT") || base.contains("STRING") || base.contains("JSON")
                || base.contains("CLOB");
    }

    /**
     * Whether this dialect can read {@code DELETED} as a boolean from a column of this type. The default accepts
     * {@code BOOLEAN}, {@code BOOL} and {@code BIT}.
     *
     * @param sourceType the source type name
     * @return true when supported
     */
    public boolean isDeletedType(String sourceType) {
        String base = baseTypeName(sourceType);
        return base.equals("BOOLEAN") || base.equals("BOOL") || base.equals("BIT");
    }

    /**
     * The types this dialect reads a column from, for error messages.
     *
     * @param column the column
     * @return a short human-readable list, such as {@code TIMESTAMP or TIMESTAMP WITH TIME ZONE}
     */
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "a TIMESTAMP or DATETIME type";
            case PAYLOAD -> "a character or JSON type";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "any type readable as text";
        };
    }

    /**
     * Checks that a column's type is one this dialect can read for the column's purpose.
     *
     * @param table the table, for the message
     * @param column the column
     * @param sourceType its source type name
     * @throws CdiException with {@link ErrorCode#INVALID_COLUMN_TYPE} naming the table, the column and the type
     *         when it is not supported
     */
    public void checkColumnType(TableName table, Column column, String sourceType) {
        requireNonNull(table, "table is null");
        requireNonNull(sourceType, "sourceType is null");
        boolean supported = switch (column) {
            case UPDATED_AT -> isUpdatedAtType(sourceType);
            case PAYLOAD -> isPayloadType(sourceType);
            case DELETED -> isDeletedType(sourceType);
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> true;
        };
        if (!supported) {
            throw new CdiException(ErrorCode.INVALID_COLUMN_TYPE, "Column " + column + " of table " + table
                    + " has type " + sourceType + ", which " + name() + " cannot read as " + column
                    + "; expected " + supportedTypes(column));
        }
    }

    // ---- UPDATED_AT ----

    /**
     * The expression that selects {@code UPDATED_AT}; {@link #readUpdatedAt} reads what it yields. The default
     * selects the column itself.
     *
     * @param quotedColumn the column, already quoted
     * @param sourceType its source type name
     * @return a SQL expression
     */
    public String selectUpdatedAt(String quotedColumn, String sourceType) {
        return quotedColumn;
    }

    /**
     * Reads {@code UPDATED_AT} as selected by {@link #selectUpdatedAt}, at the source's full precision. A
     * time-zone-less type holds UTC wall-clock time and must be read as UTC whatever the JVM's or the session's
     * time zone. The default reads a zoned type as an {@link OffsetDateTime} and any other as a
     * {@link LocalDateTime} taken as UTC.
     *
     * @param resultSet the result set, on a row
     * @param index the 1-based column index
     * @param sourceType the column's source type name
     * @return the instant, or empty when NULL
     * @throws SQLException when the driver fails
     */
    public Optional<Instant> readUpdatedAt(ResultSet resultSet, int index, String sourceType) throws SQLException {
        if (isZonedTimestamp(sourceType)) {
            OffsetDateTime value = resultSet.getObject(index, OffsetDateTime.class);
            return value == null ? Optional.empty() : Optional.of(value.toInstant());
        }
        LocalDateTime value = resultSet.getObject(index, LocalDateTime.class);
        return value == null ? Optional.empty() : Optional.of(value.toInstant(ZoneOffset.UTC));
    }

    /**
     * The finest unit a column of this type holds. Bound instants are rounded to it (up or down, depending on
     * the comparison) before {@link #bindUpdatedAt}, so that comparisons stay exact even when a bound is finer
     * than the column. The default is microseconds.
     *
     * @param sourceType the source type name of {@code UPDATED_AT}
     * @return {@link ChronoUnit#NANOS}, {@link ChronoUnit#MICROS}, {@link ChronoUnit#MILLIS} or
     *         {@link ChronoUnit#SECONDS}
     */
    public ChronoUnit updatedAtPrecision(String sourceType) {
        return ChronoUnit.MICROS;
    }

    /**
     * The placeholder expression an instant is compared through, such as {@code CAST(? AS TIMESTAMP)}. It must
     * hold exactly one {@code ?}, and it should have the column's own type, so that the warehouse compares the
     * column itself (and can prune by it) rather than an expression of the column. The default casts to
     * {@code TIMESTAMP}, or {@code TIMESTAMP WITH TIME ZONE} for a zoned type.
     *
     * @param sourceType the source type name of {@code UPDATED_AT}
     * @return a SQL expression with one parameter marker
     */
    public String updatedAtParameter(String sourceType) {
        return isZonedTimestamp(sourceType) ? "CAST(? AS TIMESTAMP WITH TIME ZONE)" : "CAST(? AS TIMESTAMP)";
    }

    /**
     * Binds an instant to the parameter of {@link #updatedAtParameter}. The value is already rounded to
     * {@link #updatedAtPrecision}. The binding must not depend on the JVM's or the session's time zone. The
     * default binds text: UTC wall-clock time for a zone-less type, with a {@code +00:00} offset for a zoned
     * one.
     *
     * @param statement the statement
     * @param index the 1-based parameter index
     * @param value the instant
     * @param sourceType the source type name of {@code UPDATED_AT}
     * @throws SQLException when the driver fails
     */
    public void bindUpdatedAt(PreparedStatement statement, int index, Instant value, String sourceType)
            throws SQLException {
        String text = formatUtc(value, updatedAtPrecision(sourceType));
        statement.setString(index, isZonedTimestamp(sourceType) ? text + "+00:00" : text);
    }

    /**
     * Whether a timestamp type holds an instant (as opposed to a zone-less wall-clock time). The default
     * recognises {@code ... WITH TIME ZONE}, names ending in {@code TZ} (but not {@code NTZ}) and
     * {@code DATETIMEOFFSET}.
     *
     * @param sourceType the source type name
     * @return true for a zoned type
     */
    public boolean isZonedTimestamp(String sourceType) {
        String base = baseTypeName(sourceType);
        if (base.contains("WITHOUT") || base.endsWith("NTZ")) {
            return false;
        }
        return base.contains("WITH TIME ZONE") || base.contains("WITH LOCAL TIME ZONE") || base.endsWith("TZ")
                || base.equals("DATETIMEOFFSET");
    }

    // ---- PAYLOAD, DELETED and text columns ----

    /**
     * The expression that selects {@code PAYLOAD} as JSON text; {@link #readPayload} reads what it yields. The
     * default selects the column itself; a dialect converts structured types here (for example with
     * {@code to_json}).
     *
     * @param quotedColumn the column, already quoted
     * @param sourceType its source type name
     * @return a SQL expression
     */
    public String selectPayload(String quotedColumn, String sourceType) {
        return quotedColumn;
    }

    /**
     * Reads {@code PAYLOAD} as selected by {@link #selectPayload}. The default reads text.
     *
     * @param resultSet the result set, on a row
     * @param index the 1-based column index
     * @param sourceType the column's source type name
     * @return the JSON text, or empty when NULL
     * @throws SQLException when the driver fails
     */
    public Optional<String> readPayload(ResultSet resultSet, int index, String sourceType) throws SQLException {
        return readText(resultSet, index, sourceType);
    }

    /**
     * Reads {@code DELETED} as {@code "true"} or {@code "false"}. The default reads a boolean.
     *
     * @param resultSet the result set, on a row
     * @param index the 1-based column index
     * @param sourceType the column's source type name
     * @return {@code "true"} or {@code "false"}, or empty when NULL
     * @throws SQLException when the driver fails
     */
    public Optional<String> readDeleted(ResultSet resultSet, int index, String sourceType) throws SQLException {
        boolean deleted = resultSet.getBoolean(index);
        return resultSet.wasNull() ? Optional.empty() : Optional.of(deleted ? "true" : "false");
    }

    /**
     * Reads an identifier column ({@code EXTERNAL_ID}, {@code EMAIL}, {@code ID}, ...) as text. The default is
     * {@link ResultSet#getString}.
     *
     * @param resultSet the result set, on a row
     * @param index the 1-based column index
     * @param sourceType the column's source type name
     * @return the text, or empty when NULL
     * @throws SQLException when the driver fails
     */
    public Optional<String> readText(ResultSet resultSet, int index, String sourceType) throws SQLException {
        return Optional.ofNullable(resultSet.getString(index));
    }

    // ---- queries ----

    /**
     * The query that returns the warehouse's current time in one row; {@link #readCurrentTime} reads it. The
     * default is {@code SELECT CURRENT_TIMESTAMP}.
     *
     * @return the SQL text
     */
    public String currentTimeQuery() {
        return "SELECT CURRENT_TIMESTAMP";
    }

    /**
     * Reads the row of {@link #currentTimeQuery}. The default reads an {@link OffsetDateTime}.
     *
     * @param resultSet the result set, on its row
     * @return the warehouse's current instant
     * @throws SQLException when the driver fails
     */
    public Instant readCurrentTime(ResultSet resultSet) throws SQLException {
        OffsetDateTime now = resultSet.getObject(1, OffsetDateTime.class);
        if (now == null) {
            throw new SQLException("The current-time query returned NULL");
        }
        return now.toInstant();
    }

    /**
     * Limits a query to its first rows. The default appends {@code LIMIT n}; a dialect may write
     * {@code TOP n} or {@code FETCH FIRST n ROWS ONLY} instead. The limit is a number, not text from a user,
     * so it is written into the SQL: several drivers refuse a parameter marker there.
     *
     * @param query a complete {@code SELECT} with its {@code ORDER BY}
     * @param limit the most rows to return, at least 0
     * @return the limited query
     */
    public String applyLimit(String query, long limit) {
        return query + " LIMIT " + limit;
    }

    /**
     * How many rows the driver fetches per round trip while streaming. Memory is bounded by this times the
     * largest row (a payload may reach 1 MB). The default is 1,000.
     *
     * @return the fetch size, at least 1
     */
    public int fetchSize() {
        return 1_000;
    }

    /**
     * Prepares a connection for a streaming read, before the query is prepared: for example turns auto-commit
     * off so that a PostgreSQL-protocol driver pages through a cursor, or sets a session option. Auto-commit
     * left off is rolled back (nothing was written) before the connection is returned. The default does
     * nothing.
     *
     * @param connection the connection the read will run on
     * @throws SQLException when the driver fails
     */
    public void prepareForStreaming(Connection connection) throws SQLException {
    }

    // ---- errors ----

    /**
     * Classifies a vendor-specific error that the generic SQLState mapping of {@link JdbcErrors} would get
     * wrong or miss, such as a driver that reports a missing table with no SQLState. Called first, for each
     * {@link SQLException} of the chain.
     *
     * @param exception one exception of the chain
     * @return the code, or empty to fall back to the SQLState mapping
     */
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return Optional.empty();
    }

    // ---- helpers for dialects ----

    /**
     * Normalises a source type name: upper case, parenthesised parameters removed, spaces collapsed. So
     * {@code STRUCT(a INTEGER, b VARCHAR)} gives {@code STRUCT} and {@code timestamp(6) with time zone} gives
     * {@code TIMESTAMP WITH TIME ZONE}.
     *
     * @param sourceType the type name as reported
     * @return the normalised name
     */
    protected static String baseTypeName(String sourceType) {
        requireNonNull(sourceType, "sourceType is null");
        // Read hooks call this once per row; a table has few distinct types, so remember them.
        return BASE_TYPE_NAMES.computeIfAbsent(sourceType, JdbcDialect::normaliseTypeName);
    }

    private static String normaliseTypeName(String sourceType) {
        StringBuilder base = new StringBuilder(sourceType.length());
        int depth = 0;
        for (int i = 0; i < sourceType.length(); i++) {
            char c = sourceType.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                base.append(c);
            }
        }
        return base.toString().trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    /**
     * Formats an instant as UTC wall-clock text, {@code yyyy-MM-dd HH:mm:ss} followed by as many fractional
     * digits as the unit holds (none, 3, 6 or 9), truncating anything finer.
     *
     * @param value the instant
     * @param precision {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS}, {@link ChronoUnit#MICROS} or
     *        {@link ChronoUnit#NANOS}
     * @return the text, such as {@code 2026-01-02 03:04:05.123456}
     */
    protected static String formatUtc(Instant value, ChronoUnit precision) {
        requireNonNull(value, "value is null");
        int digits = fractionalDigits(precision);
        LocalDateTime utc = LocalDateTime.ofInstant(value, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(32);
        int year = utc.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year " + year + " is outside 0000-9999: " + value);
        }
        pad(text, year, 4).append('-');
        pad(text, utc.getMonthValue(), 2).append('-');
        pad(text, utc.getDayOfMonth(), 2).append(' ');
        pad(text, utc.getHour(), 2).append(':');
        pad(text, utc.getMinute(), 2).append(':');
        pad(text, utc.getSecond(), 2);
        if (digits > 0) {
            text.append('.');
            String nanos = String.valueOf(1_000_000_000 + utc.getNano()).substring(1);
            text.append(nanos, 0, digits);
        }
        return text.toString();
    }

    /**
     * The instant a count of units after the epoch stands for, exactly (negative counts are before 1970).
     *
     * @param amount the count, such as microseconds from {@code epoch_us}
     * @param unit {@link ChronoUnit#SECONDS}, {@link ChronoUnit#MILLIS}, {@link ChronoUnit#MICROS} or
     *        {@link ChronoUnit#NANOS}
     * @return the instant
     */
    protected static Instant fromEpoch(long amount, ChronoUnit unit) {
        long perSecond = switch (fractionalDigits(unit)) {
            case 0 -> 1L;
            case 3 -> 1_000L;
            case 6 -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        long nanosPerUnit = 1_000_000_000L / perSecond;
        return Instant.ofEpochSecond(Math.floorDiv(amount, perSecond), Math.floorMod(amount, perSecond) * nanosPerUnit);
    }

    /**
     * Checks that an identifier can be quoted: not empty and without control characters.
     *
     * @param identifier the name
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when it cannot
     */
    protected static void checkIdentifier(String identifier) {
        requireNonNull(identifier, "identifier is null");
        if (identifier.isEmpty()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "An identifier must not be empty");
        }
        for (int i = 0; i < identifier.length(); i++) {
            if (Character.isISOControl(identifier.charAt(i))) {
                // The name itself is not shown: printing control characters could forge log lines.
                throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                        "An identifier contains a control character at position " + i);
            }
        }
    }

    private static int fractionalDigits(ChronoUnit unit) {
        requireNonNull(unit, "unit is null");
        return switch (unit) {
            case SECONDS -> 0;
            case MILLIS -> 3;
            case MICROS -> 6;
            case NANOS -> 9;
            default -> throw new IllegalArgumentException("unsupported precision " + unit);
        };
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }
}

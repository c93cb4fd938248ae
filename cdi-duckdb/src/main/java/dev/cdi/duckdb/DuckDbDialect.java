package dev.cdi.duckdb;

import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * DuckDB's SQL: timestamps are selected as epoch counts ({@code epoch_us}, or {@code epoch_ns} for
 * {@code TIMESTAMP_NS}) and compared with a parameter cast to the column's own type; {@code STRUCT} and
 * {@code MAP} payloads become JSON text with {@code to_json}. Immutable and thread-safe.
 *
 * <p>Reading epoch counts as {@code long}s keeps full precision and never involves a time zone: the driver
 * would turn a {@code TIMESTAMP} into a {@link java.sql.Timestamp} in the JVM's default zone. Comparisons bind
 * zone-free text (with an explicit {@code +00} for {@code TIMESTAMPTZ}), cast to the column's type, so DuckDB
 * compares the column itself and can skip row groups by it.
 */
final class DuckDbDialect extends JdbcDialect {

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public boolean isUpdatedAtType(String sourceType) {
        return timestampKind(sourceType).isPresent();
    }

    @Override
    public boolean isZonedTimestamp(String sourceType) {
        return timestampKind(sourceType).orElse(TimestampKind.MICROS) == TimestampKind.ZONED;
    }

    @Override
    public ChronoUnit updatedAtPrecision(String sourceType) {
        return kind(sourceType).precision;
    }

    @Override
    public String selectUpdatedAt(String quotedColumn, String sourceType) {
        return (kind(sourceType) == TimestampKind.NANOS ? "epoch_ns(" : "epoch_us(") + quotedColumn + ")";
    }

    @Override
    public Optional<Instant> readUpdatedAt(ResultSet resultSet, int index, String sourceType) throws SQLException {
        long amount = resultSet.getLong(index);
        if (resultSet.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(fromEpoch(amount, kind(sourceType) == TimestampKind.NANOS ? ChronoUnit.NANOS : ChronoUnit.MICROS));
    }

    @Override
    public String updatedAtParameter(String sourceType) {
        return "CAST(? AS " + kind(sourceType).castType + ")";
    }

    @Override
    public void bindUpdatedAt(PreparedStatement statement, int index, Instant value, String sourceType)
            throws SQLException {
        TimestampKind kind = kind(sourceType);
        String text = formatUtc(value, kind.precision);
        statement.setString(index, kind == TimestampKind.ZONED ? text + "+00" : text);
    }

    @Override
    public boolean isPayloadType(String sourceType) {
        String base = baseTypeName(sourceType);
        return base.equals("VARCHAR") || base.equals("JSON") || base.equals("STRUCT") || base.equals("MAP");
    }

    @Override
    public String selectPayload(String quotedColumn, String sourceType) {
        return switch (baseTypeName(sourceType)) {
            case "STRUCT", "MAP" -> "CAST(to_json(" + quotedColumn + ") AS VARCHAR)";
            case "JSON" -> "CAST(" + quotedColumn + " AS VARCHAR)";
            default -> quotedColumn;
        };
    }

    @Override
    public boolean isDeletedType(String sourceType) {
        return baseTypeName(sourceType).equals("BOOLEAN");
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_NS, TIMESTAMP_MS or TIMESTAMP_S";
            case PAYLOAD -> "VARCHAR, JSON, STRUCT or MAP";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> super.supportedTypes(column);
        };
    }

    @Override
    public String currentTimeQuery() {
        return "SELECT epoch_us(get_current_timestamp())";
    }

    @Override
    public Instant readCurrentTime(ResultSet resultSet) throws SQLException {
        long micros = resultSet.getLong(1);
        if (resultSet.wasNull()) {
            throw new SQLException("DuckDB returned no current time");
        }
        return fromEpoch(micros, ChronoUnit.MICROS);
    }

    /** DuckDB's vector size; the driver fetches whole vectors and ignores the hint, but set it anyway. */
    @Override
    public int fetchSize() {
        return 2_048;
    }

    @Override
    public void prepareForStreaming(Connection connection) throws SQLException {
        // Without this the driver materialises the whole result in native memory before the first row. As a
        // session setting (not the connection property of the same name) it does not change the database
        // instance's configuration, which DuckDB requires to match for every connection to a file in the JVM.
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET jdbc_stream_results = true");
        }
    }

    @Override
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return DuckDbErrors.classify(exception);
    }

    private static TimestampKind kind(String sourceType) {
        return timestampKind(sourceType).orElseThrow(
                () -> new IllegalArgumentException("not a DuckDB timestamp type: " + sourceType));
    }

    private static Optional<TimestampKind> timestampKind(String sourceType) {
        return switch (baseTypeName(sourceType)) {
            case "TIMESTAMP", "TIMESTAMP_US", "DATETIME" -> Optional.of(TimestampKind.MICROS);
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> Optional.of(TimestampKind.ZONED);
            case "TIMESTAMP_NS" -> Optional.of(TimestampKind.NANOS);
            case "TIMESTAMP_MS" -> Optional.of(TimestampKind.MILLIS);
            case "TIMESTAMP_S" -> Optional.of(TimestampKind.SECONDS);
            default -> Optional.empty();
        };
    }

    /** The DuckDB timestamp types, with the precision each holds and the type a parameter is cast to. */
    private enum TimestampKind {
        MICROS(ChronoUnit.MICROS, "TIMESTAMP"),
        ZONED(ChronoUnit.MICROS, "TIMESTAMPTZ"),
        NANOS(ChronoUnit.NANOS, "TIMESTAMP_NS"),
        MILLIS(ChronoUnit.MILLIS, "TIMESTAMP_MS"),
        SECONDS(ChronoUnit.SECONDS, "TIMESTAMP_S");

        private final ChronoUnit precision;
        private final String castType;

        TimestampKind(ChronoUnit precision, String castType) {
            this.precision = precision;
            this.castType = castType;
        }
    }
}

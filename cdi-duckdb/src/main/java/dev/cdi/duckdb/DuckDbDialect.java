package dev.cdi.duckdb;

import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * DuckDB's SQL: timestamps are selected as epoch counts ({@code epoch_us}, or {@code epoch_ns} for
 * {@code TIMESTAMP_NS}) and compared with a parameter cast to the column's own type; {@code STRUCT} and {@code MAP}
 * payloads become JSON text with {@code to_json}. Immutable and thread-safe.
 *
 * <p>Reading epoch counts as {@code long}s keeps full precision and never involves a time zone: the driver would
 * turn a {@code TIMESTAMP} into a {@link java.sql.Timestamp} in the JVM's default zone. Comparing with the column's
 * own type lets DuckDB compare the column itself and skip row groups by it.
 */
final class DuckDbDialect implements JdbcDialect {

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        return switch (type.base()) {
            case "TIMESTAMP", "TIMESTAMP_US", "DATETIME" -> epoch("epoch_us", ChronoUnit.MICROS, false, "TIMESTAMP");
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> epoch("epoch_us", ChronoUnit.MICROS, true, "TIMESTAMPTZ");
            case "TIMESTAMP_NS" -> epoch("epoch_ns", ChronoUnit.NANOS, false, "TIMESTAMP_NS");
            case "TIMESTAMP_MS" -> epoch("epoch_us", ChronoUnit.MILLIS, false, "TIMESTAMP_MS");
            case "TIMESTAMP_S" -> epoch("epoch_us", ChronoUnit.SECONDS, false, "TIMESTAMP_S");
            default -> Optional.empty();
        };
    }

    private static Optional<ColumnMapping> epoch(String function, ChronoUnit precision, boolean zoned,
            String castType) {
        ValueForm form = function.equals("epoch_ns") ? ValueForm.EPOCH_NANOS : ValueForm.EPOCH_MICROS;
        return Optional.of(ColumnMapping.timestamp(column -> function + "(" + column + ")", form,
                new TimestampComparison(precision, zoned, castType)));
    }

    @Override
    public Optional<ColumnMapping> payloadMapping(SourceType type) {
        return switch (type.base()) {
            case "VARCHAR" -> Optional.of(ColumnMapping.of(ValueForm.TEXT));
            case "JSON" -> Optional.of(ColumnMapping.of(column -> "CAST(" + column + " AS VARCHAR)", ValueForm.TEXT));
            case "STRUCT", "MAP" ->
                    Optional.of(ColumnMapping.of(column -> "CAST(to_json(" + column + ") AS VARCHAR)", ValueForm.TEXT));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<ColumnMapping> deletedMapping(SourceType type) {
        return type.base().equals("BOOLEAN") ? Optional.of(ColumnMapping.of(ValueForm.BOOLEAN)) : Optional.empty();
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_NS, TIMESTAMP_MS or TIMESTAMP_S";
            case PAYLOAD -> "VARCHAR, JSON, STRUCT or MAP";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> JdbcDialect.super.supportedTypes(column);
        };
    }

    @Override
    public CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.of("SELECT epoch_us(get_current_timestamp())", ValueForm.EPOCH_MICROS);
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
}

package dev.cdi.databricks;

import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunContext;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.SqlDialect;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Databricks SQL, as the Databricks JDBC driver sends it to a SQL warehouse.
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMP} (an instant) or {@code TIMESTAMP_NTZ} (UTC wall-clock time, by
 * contract), both at microsecond precision. A {@code TIMESTAMP} is selected as {@code unix_micros(...)}, a number
 * that does not depend on the session's or the JVM's time zone. A {@code TIMESTAMP_NTZ} is selected as its text
 * ({@code CAST(... AS STRING)}), which has no zone to apply, and read as UTC; converting it to a number would go
 * through the session's time zone. Bounds are UTC text cast to the column's own type (with {@code +00:00} for
 * {@code TIMESTAMP}), so the warehouse compares the column itself and can skip files by it.
 *
 * <p>{@code PAYLOAD} may be {@code STRING}, {@code STRUCT} or {@code MAP}; the last two become JSON text with
 * {@code to_json}. The clock is {@code unix_micros(current_timestamp())}. Identifiers are quoted with backticks.
 * Each run tags its statements with {@code SET QUERY_TAGS}, which the warehouse's query history shows.
 *
 * <p>Immutable and thread-safe.
 */
final class DatabricksDialect implements JdbcDialect {

    private final DatabricksSettings settings;

    /**
     * Creates the dialect of one connector.
     *
     * @param settings the settings, named in advice
     */
    DatabricksDialect(DatabricksSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "databricks";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        SqlDialect.checkIdentifier(identifier);
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        return switch (type.base()) {
            case "TIMESTAMP", "TIMESTAMP_LTZ" -> Optional.of(ColumnMapping.timestamp(
                    column -> "unix_micros(" + column + ")", ValueForm.EPOCH_MICROS,
                    new TimestampComparison(ChronoUnit.MICROS, true, "TIMESTAMP")));
            case "TIMESTAMP_NTZ" -> Optional.of(ColumnMapping.timestamp(
                    column -> "CAST(" + column + " AS STRING)", ValueForm.UTC_TEXT,
                    new TimestampComparison(ChronoUnit.MICROS, false, "TIMESTAMP_NTZ")));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<ColumnMapping> payloadMapping(SourceType type) {
        return switch (type.base()) {
            case "STRING", "VARCHAR", "CHAR" -> Optional.of(ColumnMapping.of(ValueForm.TEXT));
            case "STRUCT", "MAP" -> Optional.of(ColumnMapping.of(column -> "to_json(" + column + ")", ValueForm.TEXT));
            default -> Optional.empty();
        };
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "TIMESTAMP or TIMESTAMP_NTZ (UTC)";
            case PAYLOAD -> "STRING, STRUCT or MAP";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> JdbcDialect.super.supportedTypes(column);
        };
    }

    @Override
    public CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.of("SELECT unix_micros(current_timestamp())", ValueForm.EPOCH_MICROS);
    }

    @Override
    public List<String> tagStatements(RunContext run) {
        // Tag values hold only [A-Za-z0-9_.:-] after tagValue, so they are safe inside the literals.
        return List.of("SET QUERY_TAGS['cdi_integration'] = '" + tagValue(run.integrationName())
                + "', QUERY_TAGS['cdi_run'] = '" + tagValue(run.runId()) + "'");
    }

    private static String tagValue(String text) {
        StringBuilder safe = new StringBuilder(Math.min(text.length(), 128));
        for (int i = 0; i < text.length() && safe.length() < 128; i++) {
            char c = text.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '.';
            safe.append(allowed ? c : '_');
        }
        return safe.toString();
    }

    @Override
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return DatabricksErrors.classify(exception);
    }

    @Override
    public Optional<String> advice(SQLException exception) {
        return DatabricksErrors.advice(exception, settings);
    }
}

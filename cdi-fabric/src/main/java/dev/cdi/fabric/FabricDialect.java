package dev.cdi.fabric;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunContext;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SelectExpression;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.SqlDialect;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * T-SQL as Microsoft Fabric's warehouse and SQL analytics endpoint run it, through Microsoft's SQL Server driver.
 *
 * <p>Identifiers are quoted in brackets ({@code [name]}, a {@code ]} doubled), which works whatever
 * {@code QUOTED_IDENTIFIER} says. {@code UPDATED_AT} may be {@code datetime2(n)} (UTC wall-clock time, by contract;
 * Fabric keeps up to 6 fractional digits) read as a {@code LocalDateTime}, or {@code datetimeoffset(n)} read as its
 * instant; bounds are compared with UTC text cast to {@code DATETIME2(6)} or {@code DATETIMEOFFSET(6)} (with
 * {@code +00:00}), so the column itself is compared. The legacy {@code datetime} (1/300 s) is refused: it cannot be
 * compared exactly at microseconds. {@code PAYLOAD} is {@code varchar} (Fabric stores UTF-8 {@code varchar}, usually
 * {@code varchar(max)} or {@code varchar(8000)}) or {@code nvarchar}; {@code DELETED} is {@code bit}.
 *
 * <p>The clock is {@code SYSUTCDATETIME()}; counts use {@code COUNT_BIG} (T-SQL's {@code COUNT} is a 32-bit
 * {@code int}); a limit is {@code TOP (n)}. Each query of a run carries {@code OPTION (LABEL = 'cdi:<integration>:<run>')},
 * which Fabric's query insights show as the label. Immutable and thread-safe.
 */
final class FabricDialect implements JdbcDialect {

    private final FabricSettings settings;

    /**
     * Creates the dialect of one connector.
     *
     * @param settings the settings, named in advice
     */
    FabricDialect(FabricSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public String name() {
        return "fabric";
    }

    @Override
    public String quoteIdentifier(String identifier) {
        SqlDialect.checkIdentifier(identifier);
        return '[' + identifier.replace("]", "]]") + ']';
    }

    @Override
    public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        return switch (type.base()) {
            case "DATETIME2" -> Optional.of(ColumnMapping.timestamp(SelectExpression.column(), ValueForm.LOCAL_DATE_TIME,
                    new TimestampComparison(ChronoUnit.MICROS, false, "DATETIME2(6)")));
            case "DATETIMEOFFSET" -> Optional.of(ColumnMapping.timestamp(SelectExpression.column(),
                    ValueForm.OFFSET_DATE_TIME, new TimestampComparison(ChronoUnit.MICROS, true, "DATETIMEOFFSET(6)")));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<ColumnMapping> payloadMapping(SourceType type) {
        return switch (type.base()) {
            case "VARCHAR", "NVARCHAR", "CHAR", "NCHAR" -> Optional.of(ColumnMapping.of(ValueForm.TEXT));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<ColumnMapping> deletedMapping(SourceType type) {
        return type.base().equals("BIT") ? Optional.of(ColumnMapping.of(ValueForm.BOOLEAN)) : Optional.empty();
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "datetime2(n) (UTC) or datetimeoffset(n)";
            case PAYLOAD -> "varchar or nvarchar (JSON text)";
            case DELETED -> "bit";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> JdbcDialect.super.supportedTypes(column);
        };
    }

    @Override
    public CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.of("SELECT SYSUTCDATETIME()", ValueForm.LOCAL_DATE_TIME);
    }

    @Override
    public String countAll() {
        return "COUNT_BIG(*)";
    }

    @Override
    public String countedOne() {
        return "CAST(1 AS BIGINT)";
    }

    @Override
    public String applyLimit(String query, long limit) {
        if (!query.startsWith("SELECT ")) {
            throw new IllegalArgumentException("not a SELECT: cannot limit it");
        }
        return "SELECT TOP (" + limit + ") " + query.substring("SELECT ".length());
    }

    @Override
    public String labelQuery(String sql, RunContext run) {
        // The label holds only [A-Za-z0-9_.:-], so it is safe inside the literal.
        return sql + " OPTION (LABEL = '" + run.label() + "')";
    }

    @Override
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return FabricErrors.classify(exception);
    }

    @Override
    public Optional<String> advice(SQLException exception) {
        return FabricErrors.advice(exception, settings);
    }
}

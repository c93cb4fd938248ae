package dev.cdi.bigquery;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.SqlDialect;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * BigQuery's standard SQL.
 *
 * <p>Identifiers are quoted with backticks; a table is {@code `project`.`dataset`.`table`}. Parameters are named
 * ({@code @p0}, {@code @p1}, ...) and bound as typed query parameters, never spliced. {@code UPDATED_AT} may be
 * {@code TIMESTAMP} or {@code DATETIME} (UTC wall-clock time, by contract), both at microseconds, selected as
 * {@code UNIX_MICROS(...)} (a {@code DATETIME} through {@code TIMESTAMP(...)}, which reads it as UTC): an integer,
 * exact and free of any time zone. {@code PAYLOAD} may be {@code STRING}, {@code JSON} or a {@code STRUCT}
 * ({@code RECORD}), the last two turned into JSON text by {@code TO_JSON_STRING}. The clock is
 * {@code CURRENT_TIMESTAMP()}.
 *
 * <p>Immutable and thread-safe.
 */
final class BigQueryDialect implements SqlDialect {

    private final String project;

    /**
     * Creates the dialect of one connection.
     *
     * @param project the project of a table named {@code dataset.table}: every name in SQL is written with its project,
     *        so that the query does not depend on the project that runs it
     */
    BigQueryDialect(String project) {
        this.project = project;
    }

    @Override
    public String name() {
        return "bigquery";
    }

    /**
     * Quotes with backticks. BigQuery names cannot hold a backtick or a backslash, so such a name is refused rather
     * than escaped.
     */
    @Override
    public String quoteIdentifier(String identifier) {
        SqlDialect.checkIdentifier(identifier);
        if (identifier.indexOf('`') >= 0 || identifier.indexOf('\\') >= 0) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "A BigQuery name cannot hold a backtick or a backslash");
        }
        return '`' + identifier + '`';
    }

    @Override
    public String qualifiedTableName(TableName table) {
        return new StringBuilder(quoteIdentifier(table.database().orElse(project))).append('.')
                .append(quoteIdentifier(table.schema())).append('.').append(quoteIdentifier(table.table()))
                .toString();
    }

    @Override
    public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        return switch (type.base()) {
            case "TIMESTAMP" -> Optional.of(ColumnMapping.timestamp(column -> "UNIX_MICROS(" + column + ")",
                    ValueForm.EPOCH_MICROS, new TimestampComparison(ChronoUnit.MICROS, true, "TIMESTAMP")));
            case "DATETIME" -> Optional.of(ColumnMapping.timestamp(
                    column -> "UNIX_MICROS(TIMESTAMP(" + column + "))", ValueForm.EPOCH_MICROS,
                    new TimestampComparison(ChronoUnit.MICROS, false, "DATETIME")));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<ColumnMapping> payloadMapping(SourceType type) {
        return switch (type.base()) {
            case "STRING" -> Optional.of(ColumnMapping.of(ValueForm.TEXT));
            case "JSON", "STRUCT", "RECORD" ->
                    Optional.of(ColumnMapping.of(column -> "TO_JSON_STRING(" + column + ")", ValueForm.TEXT));
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<ColumnMapping> deletedMapping(SourceType type) {
        boolean bool = type.base().equals("BOOL") || type.base().equals("BOOLEAN");
        return bool ? Optional.of(ColumnMapping.of(ValueForm.BOOLEAN)) : Optional.empty();
    }

    @Override
    public String supportedTypes(Column column) {
        return switch (column) {
            case UPDATED_AT -> "TIMESTAMP or DATETIME (UTC)";
            case PAYLOAD -> "STRING, JSON or STRUCT";
            case DELETED -> "BOOL";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> SqlDialect.super.supportedTypes(column);
        };
    }

    @Override
    public CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.of("SELECT UNIX_MICROS(CURRENT_TIMESTAMP())", ValueForm.EPOCH_MICROS);
    }

    @Override
    public String parameterMarker(int index) {
        return "@" + parameterName(index);
    }

    /** The marker alone: the parameter is bound with the column's type ({@code TIMESTAMP} or {@code DATETIME}). */
    @Override
    public String boundExpression(TimestampComparison comparison, int index) {
        return parameterMarker(index);
    }

    /**
     * The name of the parameter at an index, as bound.
     *
     * @param index the 0-based index
     * @return {@code p<index>}
     */
    static String parameterName(int index) {
        return "p" + index;
    }
}

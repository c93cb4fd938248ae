package dev.cdi.snowflake;

import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunContext;
import dev.cdi.api.TableName;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.CurrentTimeQuery;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Snowflake's SQL, as its JDBC driver speaks it.
 *
 * <p>{@code UPDATED_AT} may be {@code TIMESTAMP_NTZ} (UTC wall-clock time, by contract), {@code TIMESTAMP_LTZ} or
 * {@code TIMESTAMP_TZ}, all at nanosecond precision. It is selected as {@code DATE_PART(EPOCH_NANOSECOND, ...)}, a
 * number read as a {@code long}: exact to the nanosecond and independent of the session's and the JVM's time zones
 * (for {@code TIMESTAMP_NTZ} the epoch of its wall-clock time, which is UTC by contract). Bounds are compared with
 * UTC text cast to {@code TIMESTAMP_NTZ(9)}, or to {@code TIMESTAMP_TZ(9)} with an explicit {@code +00:00} for the
 * zoned types, so Snowflake compares the column itself and can prune micro-partitions by it.
 *
 * <p>{@code PAYLOAD} may be {@code VARCHAR} (and its synonyms) or {@code VARIANT} / {@code OBJECT}, which
 * {@code TO_JSON} turns into JSON text in SQL. The clock is {@code SYSDATE()}: the current time in UTC whatever the
 * session's time zone.
 *
 * <p>Identifier case: Snowflake stores an unquoted name in upper case and a quoted one as written. A part of a table
 * name written without double quotes (such as {@code analytics.public.users}) is resolved as Snowflake resolves an
 * unquoted name, upper case; a part written in double quotes ({@code "Users"}) keeps its case. Column names are
 * quoted exactly as the table's description reported them.
 *
 * <p>A run tags its queries with {@code ALTER SESSION SET QUERY_TAG}, so the account's query history shows which
 * integration and run sent each one. Immutable and thread-safe.
 */
final class SnowflakeDialect implements JdbcDialect {

    private static final Pattern UNQUOTED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private final String user;
    private final Optional<String> role;
    private final Optional<String> warehouse;

    /**
     * Creates the dialect of one connection.
     *
     * @param user the user, named in advice
     * @param role the role, named in advice, if configured
     * @param warehouse the warehouse, named in advice, if configured
     */
    SnowflakeDialect(String user, Optional<String> role, Optional<String> warehouse) {
        this.user = user;
        this.role = role;
        this.warehouse = warehouse;
    }

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    public String qualifiedTableName(TableName table) {
        StringBuilder sql = new StringBuilder();
        table.database().ifPresent(database -> sql.append(tablePart(database)).append('.'));
        return sql.append(tablePart(table.schema())).append('.').append(tablePart(table.table())).toString();
    }

    /** A part of a configured table name: quoted as written when written in double quotes, else upper case. */
    private String tablePart(String part) {
        if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
            return quoteIdentifier(part.substring(1, part.length() - 1).replace("\"\"", "\""));
        }
        if (UNQUOTED.matcher(part).matches()) {
            return quoteIdentifier(part.toUpperCase(Locale.ROOT));
        }
        // Not a valid unquoted name (a space, a dash...): only a quoted name can hold it, so it is taken as written.
        return quoteIdentifier(part);
    }

    @Override
    public Optional<ColumnMapping> updatedAtMapping(SourceType type) {
        String castType;
        switch (type.base()) {
            case "TIMESTAMP_NTZ", "TIMESTAMPNTZ", "TIMESTAMP", "DATETIME" -> castType = "TIMESTAMP_NTZ(9)";
            case "TIMESTAMP_LTZ", "TIMESTAMPLTZ", "TIMESTAMP_TZ", "TIMESTAMPTZ" -> castType = "TIMESTAMP_TZ(9)";
            default -> {
                return Optional.empty();
            }
        }
        boolean zoned = castType.startsWith("TIMESTAMP_TZ");
        return Optional.of(ColumnMapping.timestamp(column -> "DATE_PART(EPOCH_NANOSECOND, " + column + ")",
                ValueForm.EPOCH_NANOS, new TimestampComparison(ChronoUnit.NANOS, zoned, castType)));
    }

    @Override
    public Optional<ColumnMapping> payloadMapping(SourceType type) {
        return switch (type.base()) {
            case "VARCHAR", "TEXT", "STRING", "CHAR", "CHARACTER", "NVARCHAR", "NCHAR" ->
                    Optional.of(ColumnMapping.of(ValueForm.TEXT));
            case "VARIANT", "OBJECT" -> Optional.of(ColumnMapping.of(column -> "TO_JSON(" + column + ")", ValueForm.TEXT));
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
            case UPDATED_AT -> "TIMESTAMP_NTZ (UTC), TIMESTAMP_LTZ or TIMESTAMP_TZ";
            case PAYLOAD -> "VARCHAR, VARIANT or OBJECT";
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> JdbcDialect.super.supportedTypes(column);
        };
    }

    @Override
    public CurrentTimeQuery currentTimeQuery() {
        return CurrentTimeQuery.of("SELECT DATE_PART(EPOCH_NANOSECOND, SYSDATE())", ValueForm.EPOCH_NANOS);
    }

    @Override
    public List<String> tagStatements(RunContext run) {
        // The label holds only [A-Za-z0-9_.:-], so it is safe inside the literal.
        return List.of("ALTER SESSION SET QUERY_TAG = '" + run.label() + "'");
    }

    @Override
    public Optional<ErrorCode> classifyVendorError(SQLException exception) {
        return SnowflakeErrors.classify(exception);
    }

    @Override
    public Optional<String> advice(SQLException exception) {
        return SnowflakeErrors.advice(exception, user, warehouse, role);
    }
}

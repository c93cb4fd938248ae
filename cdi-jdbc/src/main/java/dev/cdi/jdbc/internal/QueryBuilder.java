package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import dev.cdi.api.RowFilter;
import dev.cdi.api.TableName;
import dev.cdi.jdbc.JdbcDialect;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The one place where SQL text is built. Identifiers are quoted by the dialect; every value is a bound
 * parameter; the dialect's hooks decide the column expressions, the parameter casts and the limit syntax.
 *
 * <p>Immutable and thread-safe.
 */
public final class QueryBuilder {

    private final JdbcDialect dialect;

    /**
     * Creates a builder.
     *
     * @param dialect the warehouse's dialect
     */
    public QueryBuilder(JdbcDialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    /**
     * A query that returns no row but describes every column of a table in its result set metadata.
     *
     * @param table the table
     * @return the SQL text
     */
    public String describe(TableName table) {
        // Not all databases support boolean literals, so use 1=0.
        return "SELECT * FROM " + dialect.qualifiedTableName(table) + " WHERE 1=0";
    }

    /**
     * Selects the table's columns for the rows a filter matches, ordered by {@code UPDATED_AT}.
     *
     * @param table the table
     * @param filter which rows
     * @param limit the most rows, if limited
     * @return the query
     */
    public BoundQuery select(SourceTable table, RowFilter filter, OptionalLong limit) {
        requireNonNull(limit, "limit is null");
        StringBuilder sql = new StringBuilder("SELECT ");
        String separator = "";
        for (Column column : table.columns()) {
            sql.append(separator).append(selectExpression(table, column));
            separator = ", ";
        }
        sql.append(" FROM ").append(dialect.qualifiedTableName(table.name()));
        List<BoundQuery.Parameter> parameters = new ArrayList<>(2);
        appendWhere(sql, parameters, table, filter);
        sql.append(" ORDER BY ").append(dialect.quoteIdentifier(table.columnName(Column.UPDATED_AT)));
        String query = limit.isPresent() ? dialect.applyLimit(sql.toString(), limit.getAsLong()) : sql.toString();
        return new BoundQuery(query, parameters);
    }

    /**
     * Counts the rows a filter matches.
     *
     * @param table the table
     * @param filter which rows
     * @return the query, returning one row with one number
     */
    public BoundQuery count(SourceTable table, RowFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(dialect.qualifiedTableName(table.name()));
        List<BoundQuery.Parameter> parameters = new ArrayList<>(2);
        appendWhere(sql, parameters, table, filter);
        return new BoundQuery(sql.toString(), parameters);
    }

    /**
     * Counts the rows each filter matches in one pass: {@code SUM(CASE WHEN <filter> THEN 1 ELSE 0 END)} per
     * filter, over the rows any of them matches (so a range filter still lets the warehouse skip blocks).
     *
     * @param table the table
     * @param filters which rows, at least one
     * @return the query, returning one row with one number per filter
     */
    public BoundQuery countEach(SourceTable table, List<RowFilter> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("no filter to count");
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        List<BoundQuery.Parameter> parameters = new ArrayList<>();
        String separator = "";
        for (RowFilter filter : filters) {
            sql.append(separator).append("SUM(CASE WHEN ");
            appendCondition(sql, parameters, table, filter);
            sql.append(" THEN 1 ELSE 0 END)");
            separator = ", ";
        }
        sql.append(" FROM ").append(dialect.qualifiedTableName(table.name())).append(" WHERE ");
        separator = "";
        for (RowFilter filter : filters) {
            sql.append(separator).append('(');
            appendCondition(sql, parameters, table, filter);
            sql.append(')');
            separator = " OR ";
        }
        return new BoundQuery(sql.toString(), parameters);
    }

    private String selectExpression(SourceTable table, Column column) {
        String quoted = dialect.quoteIdentifier(table.columnName(column));
        String type = table.schema().typeOf(column).orElseThrow();
        return switch (column) {
            case UPDATED_AT -> dialect.selectUpdatedAt(quoted, type);
            case PAYLOAD -> dialect.selectPayload(quoted, type);
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID, DELETED -> quoted;
        };
    }

    private void appendWhere(StringBuilder sql, List<BoundQuery.Parameter> parameters, SourceTable table,
            RowFilter filter) {
        sql.append(" WHERE ");
        appendCondition(sql, parameters, table, filter);
    }

    private void appendCondition(StringBuilder sql, List<BoundQuery.Parameter> parameters, SourceTable table,
            RowFilter filter) {
        requireNonNull(filter, "filter is null");
        String type = table.updatedAtType();
        String column = dialect.quoteIdentifier(table.columnName(Column.UPDATED_AT));
        if (filter instanceof RowFilter.NullUpdatedAt) {
            sql.append(column).append(" IS NULL");
            return;
        }
        if (!(filter instanceof RowFilter.Range range)) {
            throw new IllegalArgumentException("unknown filter " + filter.getClass().getName());
        }
        if (range.lower().isEmpty() && range.upper().isEmpty()) {
            sql.append(column).append(" IS NOT NULL");
            return;
        }
        // Bounds are rounded to the column's precision in the direction that keeps each comparison exact:
        // a column value v (a whole number of units) satisfies v >= x exactly when v >= ceil(x), v > x exactly
        // when v > floor(x), and likewise for the upper bound.
        ChronoUnit precision = dialect.updatedAtPrecision(type);
        String and = "";
        if (range.lower().isPresent()) {
            Instant lower = range.lowerInclusive()
                    ? ceil(range.lower().get(), precision)
                    : range.lower().get().truncatedTo(precision);
            sql.append(column).append(range.lowerInclusive() ? " >= " : " > ").append(dialect.updatedAtParameter(type));
            parameters.add(parameter(lower, type));
            and = " AND ";
        }
        if (range.upper().isPresent()) {
            Instant upper = range.upperInclusive()
                    ? range.upper().get().truncatedTo(precision)
                    : ceil(range.upper().get(), precision);
            sql.append(and).append(column).append(range.upperInclusive() ? " <= " : " < ")
                    .append(dialect.updatedAtParameter(type));
            parameters.add(parameter(upper, type));
        }
    }

    private BoundQuery.Parameter parameter(Instant value, String type) {
        return new BoundQuery.Parameter(value, (statement, index) -> dialect.bindUpdatedAt(statement, index, value, type));
    }

    private static Instant ceil(Instant value, ChronoUnit unit) {
        Instant floor = value.truncatedTo(unit);
        return floor.equals(value) ? value : floor.plus(1, unit);
    }
}

package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Experimental;
import dev.cdi.api.RowFilter;
import dev.cdi.api.TableName;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The one place where SQL text is built, for every connector whatever its client. Identifiers are quoted by the
 * dialect; every value is a typed {@link SqlParameter}; the column mappings decide the select expressions and the
 * comparisons.
 *
 * <p>Bounds on {@code UPDATED_AT} are rounded to the column's precision in the direction that keeps each comparison
 * exact, so that an instant finer than the column (a nanosecond watermark over a microsecond column) neither loses
 * nor repeats a row.
 *
 * <p>Immutable and thread-safe.
 */
@Experimental
public final class SqlQueryBuilder {

    private final SqlDialect dialect;

    /**
     * Creates a builder.
     *
     * @param dialect the warehouse's dialect
     */
    public SqlQueryBuilder(SqlDialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    /**
     * A query that returns no row but describes every column of a table in its result's metadata.
     *
     * @param table the table
     * @return the SQL text
     */
    public String describe(TableName table) {
        // Not all databases support boolean literals, so use 1=0.
        return "SELECT * FROM " + dialect.qualifiedTableName(table) + " WHERE 1=0";
    }

    /**
     * Selects the table's columns, through their mappings and in the table's column order, for the rows a filter
     * matches, ordered by {@code UPDATED_AT}.
     *
     * @param table the table
     * @param filter which rows
     * @param limit the most rows, if limited
     * @return the query
     */
    public SqlQuery select(SqlTable table, RowFilter filter, OptionalLong limit) {
        requireNonNull(limit, "limit is null");
        StringBuilder sql = new StringBuilder("SELECT ");
        String separator = "";
        for (MappedColumn column : table.columns()) {
            sql.append(separator).append(column.mapping().select().render(dialect.quoteIdentifier(column.sourceName())));
            separator = ", ";
        }
        sql.append(" FROM ").append(dialect.qualifiedTableName(table.name())).append(" WHERE ");
        List<SqlParameter> parameters = new ArrayList<>(2);
        appendCondition(sql, parameters, table, filter);
        sql.append(" ORDER BY ").append(dialect.quoteIdentifier(table.updatedAt().sourceName()));
        String query = limit.isPresent() ? dialect.applyLimit(sql.toString(), limit.getAsLong()) : sql.toString();
        return new SqlQuery(query, parameters);
    }

    /**
     * Counts the rows a filter matches.
     *
     * @param table the table
     * @param filter which rows
     * @return the query, returning one row with one number
     */
    public SqlQuery count(SqlTable table, RowFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT ").append(dialect.countAll()).append(" FROM ")
                .append(dialect.qualifiedTableName(table.name()))
                .append(" WHERE ");
        List<SqlParameter> parameters = new ArrayList<>(2);
        appendCondition(sql, parameters, table, filter);
        return new SqlQuery(sql.toString(), parameters);
    }

    /**
     * Counts the rows each filter matches in one pass: {@code SUM(CASE WHEN <filter> THEN 1 ELSE 0 END)} per filter,
     * over the rows any of them matches (so a range filter still lets the warehouse skip blocks). A sum over no rows
     * is NULL, which stands for 0.
     *
     * @param table the table
     * @param filters which rows, at least one
     * @return the query, returning one row with one number per filter
     */
    public SqlQuery countEach(SqlTable table, List<RowFilter> filters) {
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("no filter to count");
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        List<SqlParameter> parameters = new ArrayList<>();
        String separator = "";
        for (RowFilter filter : filters) {
            sql.append(separator).append("SUM(CASE WHEN ");
            appendCondition(sql, parameters, table, filter);
            sql.append(" THEN ").append(dialect.countedOne()).append(" ELSE 0 END)");
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
        return new SqlQuery(sql.toString(), parameters);
    }

    private void appendCondition(StringBuilder sql, List<SqlParameter> parameters, SqlTable table, RowFilter filter) {
        requireNonNull(filter, "filter is null");
        MappedColumn updatedAt = table.updatedAt();
        String column = dialect.quoteIdentifier(updatedAt.sourceName());
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
        // A column value v (a whole number of units) satisfies v >= x exactly when v >= ceil(x), v > x exactly when
        // v > floor(x), and likewise for the upper bound.
        TimestampComparison comparison = updatedAt.mapping().comparison().orElseThrow();
        ChronoUnit precision = comparison.precision();
        String and = "";
        if (range.lower().isPresent()) {
            Instant lower = range.lowerInclusive()
                    ? UtcTimestamps.ceil(range.lower().get(), precision)
                    : range.lower().get().truncatedTo(precision);
            sql.append(column).append(range.lowerInclusive() ? " >= " : " > ");
            appendParameter(sql, parameters, new SqlParameter.Timestamp(lower, comparison));
            and = " AND ";
        }
        if (range.upper().isPresent()) {
            Instant upper = range.upperInclusive()
                    ? range.upper().get().truncatedTo(precision)
                    : UtcTimestamps.ceil(range.upper().get(), precision);
            sql.append(and).append(column).append(range.upperInclusive() ? " <= " : " < ");
            appendParameter(sql, parameters, new SqlParameter.Timestamp(upper, comparison));
        }
    }

    private void appendParameter(StringBuilder sql, List<SqlParameter> parameters, SqlParameter.Timestamp parameter) {
        sql.append(dialect.boundExpression(parameter.comparison(), parameters.size()));
        parameters.add(parameter);
    }
}

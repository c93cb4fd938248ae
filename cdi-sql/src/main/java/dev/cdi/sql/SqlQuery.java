package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * SQL text with its typed parameters in marker order. {@link #toString()} shows the SQL but never the values.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sql the SQL text, with one marker per parameter (as the dialect writes markers)
 * @param parameters the parameters, in marker order
 */
public record SqlQuery(String sql, List<SqlParameter> parameters) {

    /** Copies the parameters. */
    public SqlQuery {
        requireNonNull(sql, "sql is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
    }

    @Override
    public String toString() {
        return "SqlQuery[sql=" + sql + ", parameters=" + parameters.size() + "]";
    }
}

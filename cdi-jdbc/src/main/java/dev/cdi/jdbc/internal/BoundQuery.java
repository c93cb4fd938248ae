package dev.cdi.jdbc.internal;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * SQL text with its parameters in marker order. {@link #toString()} shows the SQL but never the values.
 *
 * @param sql the SQL text, with one {@code ?} marker per parameter
 * @param parameters the parameters, in marker order
 */
public record BoundQuery(String sql, List<Parameter> parameters) {

    /** Copies the parameters. */
    public BoundQuery {
        requireNonNull(sql, "sql is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
    }

    /**
     * Binds every parameter to a statement prepared from {@link #sql()}.
     *
     * @param statement the statement
     * @throws SQLException when the driver fails
     */
    public void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).binder().bind(statement, i + 1);
        }
    }

    @Override
    public String toString() {
        return "BoundQuery[sql=" + sql + ", parameters=" + parameters.size() + "]";
    }

    /**
     * One bound value and how it is bound.
     *
     * @param value the logical value (such as the {@link java.time.Instant} compared with {@code UPDATED_AT}),
     *        for tests and diagnostics; never shown by {@link #toString()}
     * @param binder what binds it
     */
    public record Parameter(Object value, ParameterBinder binder) {

        /** Checks both parts. */
        public Parameter {
            requireNonNull(value, "value is null");
            requireNonNull(binder, "binder is null");
        }

        @Override
        public String toString() {
            return "Parameter[" + value.getClass().getSimpleName() + "]";
        }
    }

    /** Binds one value to one marker of a statement. */
    @FunctionalInterface
    public interface ParameterBinder {
        /**
         * Binds the value.
         *
         * @param statement the statement
         * @param index the 1-based marker index
         * @throws SQLException when the driver fails
         */
        void bind(PreparedStatement statement, int index) throws SQLException;
    }
}

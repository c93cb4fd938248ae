package dev.cdi.sql;

/**
 * How a column is selected: the SQL expression over the quoted column, such as {@code epoch_us("UPDATED_AT")} or
 * {@code to_json("PAYLOAD")}. Implementations must be stateless and thread-safe.
 */
@FunctionalInterface
public interface SelectExpression {

    /**
     * Selects the column itself.
     *
     * @return the identity expression
     */
    static SelectExpression column() {
        return quotedColumn -> quotedColumn;
    }

    /**
     * The expression for one column.
     *
     * @param quotedColumn the column's name, already quoted by the dialect
     * @return a SQL expression
     */
    String render(String quotedColumn);
}

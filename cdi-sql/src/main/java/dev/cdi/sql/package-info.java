/**
 * The warehouse-neutral SQL layer every connector that speaks SQL shares, whatever its client (JDBC or a vendor's
 * own): a {@link dev.cdi.sql.SqlDialect} decides once per column how it is selected, read and compared
 * ({@link dev.cdi.sql.ColumnMapping}); {@link dev.cdi.sql.SqlTable} matches a table's columns and checks their
 * types; {@link dev.cdi.sql.SqlQueryBuilder} builds every query as SQL text with typed parameters
 * ({@link dev.cdi.sql.SqlQuery}), rounding each {@code UPDATED_AT} bound to the column's precision in the direction
 * that keeps the comparison exact. A client binding (such as {@code cdi-jdbc}) prepares, binds and reads.
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.sql;

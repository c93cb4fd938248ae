/**
 * The DuckDB source connector: {@link dev.cdi.duckdb.DuckDbConnectorProvider}, found by
 * {@link java.util.ServiceLoader} under the name {@code duckdb}.
 */
package dev.cdi.duckdb;

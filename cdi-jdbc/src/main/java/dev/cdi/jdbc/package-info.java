/**
 * Shared support for JDBC connectors: extend {@link dev.cdi.jdbc.JdbcDialect} with what the warehouse does
 * differently, give a {@link dev.cdi.jdbc.ConnectionSource} (usually a {@link dev.cdi.jdbc.JdbcPool}), and
 * {@link dev.cdi.jdbc.JdbcSourceConnector} does the rest: describing tables, counting and streaming rows with
 * bound parameters, and mapping driver errors through {@link dev.cdi.jdbc.JdbcErrors}.
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.jdbc;

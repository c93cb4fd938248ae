/**
 * The {@code bigquery} connector: Google's BigQuery client (not JDBC) with a service-account key, on the shared SQL
 * layer: {@link dev.cdi.sql.SqlQueryBuilder} builds every query, and its typed parameters are bound as BigQuery's named
 * query parameters.
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.bigquery;

/**
 * The {@code databricks} connector: the Databricks JDBC driver over the SQL Statement Execution API, logged in with
 * a personal access token or as a service principal (OAuth machine-to-machine), riding through the minutes a
 * stopped SQL warehouse takes to start.
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.databricks;

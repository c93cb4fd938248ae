/**
 * The {@code snowflake} connector: Snowflake's own JDBC driver, authenticated with a key pair that CDI generates
 * (a signed JWT, no password), with the key rotated through Snowflake's two public-key slots without downtime.
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.snowflake;

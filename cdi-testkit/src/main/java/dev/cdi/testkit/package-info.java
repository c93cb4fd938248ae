/**
 * Fakes for testing code that uses CDI, with no warehouse account: {@link dev.cdi.testkit.FakeWarehouse} (an
 * in-process DuckDB posing as a warehouse, with fault injection), {@link dev.cdi.testkit.RecordingSink},
 * {@link dev.cdi.testkit.FailingSink}, {@link dev.cdi.testkit.ReferenceProfileStore} (the reference product's
 * profile semantics), the JUnit 5 extension {@link dev.cdi.testkit.FakeWarehouseExtension}, the connector
 * conformance suite {@link dev.cdi.testkit.BaseConnectorTest}, and {@link dev.cdi.testkit.TestingRedshiftServer}
 * (an embedded PostgreSQL that the real Redshift driver can talk to) and {@link dev.cdi.testkit.TestingSnowflakeServer}
 * (a fake Snowflake account on 127.0.0.1, over DuckDB, that the real Snowflake driver logs in to with a key pair).
 */
package dev.cdi.testkit;

/**
 * Fakes for testing code that uses CDI, with no warehouse account: {@link dev.cdi.testkit.FakeWarehouse} (an
 * in-process DuckDB posing as a warehouse, with fault injection), {@link dev.cdi.testkit.RecordingSink},
 * {@link dev.cdi.testkit.FailingSink}, {@link dev.cdi.testkit.ReferenceProfileStore} (the reference product's
 * profile semantics) and the JUnit 5 extension {@link dev.cdi.testkit.FakeWarehouseExtension}.
 */
package dev.cdi.testkit;

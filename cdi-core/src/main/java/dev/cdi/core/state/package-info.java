/**
 * Where an integration's watermark and fingerprints live between runs: {@link dev.cdi.core.state.StateStore}
 * with an in-memory, a durable file and a shared PostgreSQL implementation
 * ({@link dev.cdi.core.state.PostgresStateStore}, which also keeps leases and run history).
 */
package dev.cdi.core.state;

/**
 * One run per integration at a time: {@link dev.cdi.core.lease.LeaseStore} hands out expiring
 * {@link dev.cdi.core.lease.Lease}s, in memory for one process or in PostgreSQL
 * ({@link dev.cdi.core.state.PostgresStateStore}) for several processes sharing a database.
 */
package dev.cdi.core.lease;

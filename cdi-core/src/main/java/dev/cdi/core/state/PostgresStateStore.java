package dev.cdi.core.state;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.RunResult;
import dev.cdi.core.history.RecordedRowError;
import dev.cdi.core.history.RunHistory;
import dev.cdi.core.history.RunSummary;
import dev.cdi.core.lease.Lease;
import dev.cdi.core.lease.LeaseStore;
import dev.cdi.core.registry.RegistryChange;
import dev.cdi.core.registry.RegistryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The state store for several processes sharing one PostgreSQL database: watermarks ({@link StateStore}),
 * one-run-at-a-time leases ({@link LeaseStore}), run history ({@link RunHistory}) and the integrations registry's
 * workspaces, encrypted credentials and integrations ({@link RegistryStore}), in plain SQL over a
 * {@link DataSource} the application supplies (with the PostgreSQL JDBC driver on its class path).
 *
 * <p>The constructor creates the schema and its tables when missing, and records the layout's version in
 * {@code schema_version}; several processes may start at once (an advisory lock serialises them). A schema
 * written by a newer version is refused rather than misread; an older one is migrated. Lease expiry is decided by the database's clock,
 * so clock skew between processes cannot let two of them run the same integration.
 *
 * <p>Thread-safe: every call borrows its own connection. Failures throw {@link CdiException} with
 * {@link ErrorCode#STATE_STORE_FAILED}; messages name the integration and the SQLState, never bound values.
 */
public final class PostgresStateStore implements StateStore, LeaseStore, RunHistory, RegistryStore {

    /** The schema used when none is given. */
    public static final String DEFAULT_SCHEMA = "cdi";

    /** The version of the table layout this class reads and writes. */
    public static final int SCHEMA_VERSION = 3;

    private final PostgresDatabase database;
    private final PostgresWatermarks watermarks;
    private final PostgresLeases leases;
    private final PostgresRunHistory runHistory;
    private final PostgresRegistry registry;

    /**
     * Opens the store in schema {@value #DEFAULT_SCHEMA}, creating its tables when missing.
     *
     * @param dataSource where connections come from
     * @throws CdiException with {@link ErrorCode#STATE_STORE_FAILED} when the schema cannot be created or was
     *         written by a newer version
     */
    public PostgresStateStore(DataSource dataSource) {
        this(dataSource, DEFAULT_SCHEMA);
    }

    /**
     * Opens the store in the given schema, creating the schema and its tables when missing.
     *
     * @param dataSource where connections come from
     * @param schema the schema's name, matching {@code [a-z_][a-z0-9_]*}, at most 63 characters
     * @throws CdiException with {@link ErrorCode#STATE_STORE_FAILED} when the schema cannot be created or was
     *         written by a newer version
     */
    public PostgresStateStore(DataSource dataSource, String schema) {
        this.database = new PostgresDatabase(dataSource, schema);
        PostgresSchema.migrate(database);
        this.watermarks = new PostgresWatermarks(database);
        this.leases = new PostgresLeases(database);
        this.runHistory = new PostgresRunHistory(database);
        this.registry = new PostgresRegistry(database);
    }

    /**
     * The schema holding the tables.
     *
     * @return the schema's name
     */
    public String schema() {
        return database.schema();
    }

    // ---- StateStore

    @Override
    public Optional<SyncState> load(String integration) {
        return watermarks.load(integration);
    }

    @Override
    public void save(String integration, SyncState state) {
        watermarks.save(integration, state);
    }

    @Override
    public void delete(String integration) {
        watermarks.delete(integration);
    }

    // ---- LeaseStore

    @Override
    public Optional<Lease> tryAcquire(String integration, String holder, Duration ttl) {
        return leases.tryAcquire(integration, holder, ttl);
    }

    @Override
    public boolean renew(Lease lease, Duration ttl) {
        return leases.renew(lease, ttl);
    }

    @Override
    public void release(Lease lease) {
        leases.release(lease);
    }

    // ---- RunHistory

    @Override
    public void recordStart(String runId, String integration, Instant startedAt) {
        runHistory.recordStart(runId, integration, startedAt);
    }

    @Override
    public void recordEnd(RunResult run) {
        runHistory.recordEnd(run);
    }

    @Override
    public Optional<RunSummary> run(String runId) {
        return runHistory.run(runId);
    }

    @Override
    public List<RunSummary> runs(String integration, int limit) {
        return runHistory.runs(integration, limit);
    }

    @Override
    public List<RecordedRowError> rowErrors(String runId, int offset, int limit) {
        return runHistory.rowErrors(runId, offset, limit);
    }

    @Override
    public List<RecordedRowError> rowErrors(String integration, Identifier identifier, int limit) {
        return runHistory.rowErrors(integration, identifier, limit);
    }

    @Override
    public List<RunSummary> endAbandonedRuns(String integration, Instant at) {
        return runHistory.endAbandonedRuns(integration, at);
    }

    @Override
    public Set<String> integrationsWithRunningRuns() {
        return runHistory.integrationsWithRunningRuns();
    }

    @Override
    public void prune(Duration rowDetailRetention, Duration summaryRetention, Instant now) {
        runHistory.prune(rowDetailRetention, summaryRetention, now);
    }

    // ---- RegistryStore

    @Override
    public long registryRevision() {
        return registry.revision();
    }

    @Override
    public Snapshot loadRegistry() {
        return registry.load();
    }

    @Override
    public boolean commitRegistry(long expectedRevision, List<RegistryChange> changes) {
        return registry.commit(expectedRevision, changes);
    }
}

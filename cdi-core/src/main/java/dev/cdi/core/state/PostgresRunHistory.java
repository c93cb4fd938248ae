package dev.cdi.core.state;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Identifier;
import dev.cdi.core.history.RunHistoryChecks;
import dev.cdi.core.history.StoredIdentifier;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.core.history.RecordedRowError;
import dev.cdi.core.history.RunSummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The {@code run} and {@code run_row_error} tables of {@link PostgresStateStore}: recording, reading, pruning. */
final class PostgresRunHistory {

    private static final String RUN_COLUMNS = "r.run_id, r.integration, r.status, r.started_second, r.started_nano, "
            + "r.finished_at, r.rows_read, r.rows_synced, r.rows_failed, r.rows_deferred, r.first_updated_at, "
            + "r.last_updated_at, r.watermark_updated_at, r.watermark_rows, r.error_code, r.error_message";
    private static final String ROW_ERROR_COLUMNS = "e.run_id, e.position, e.code, e.message, e.identifier_type, "
            + "e.identifier_value, e.identifier_label, e.updated_at, e.payload_excerpt";
    private static final String NEWEST_FIRST = "r.started_second DESC, r.started_nano DESC, r.run_id DESC";

    private final PostgresDatabase database;
    private final PostgresRunRows rows;

    PostgresRunHistory(PostgresDatabase database) {
        this.database = database;
        this.rows = new PostgresRunRows(database);
    }

    void recordStart(String runId, String integration, Instant startedAt) {
        RunSummary running = RunSummary.running(runId, integration, startedAt);
        boolean inserted = database.inTransaction("[" + integration + "] Recording the start of run " + runId,
                connection -> rows.upsertRun(connection, running, false));
        if (!inserted) {
            throw new IllegalArgumentException("run " + runId + " was recorded before");
        }
    }

    void recordEnd(RunResult run) {
        requireNonNull(run, "run is null");
        if (run.status() == RunStatus.RUNNING) {
            throw new IllegalArgumentException("run " + run.runId() + " has not ended: its status is RUNNING");
        }
        RunSummary summary = RunSummary.of(run);
        database.inTransaction("[" + run.integration() + "] Recording the end of run " + run.runId(), connection -> {
            rows.upsertRun(connection, summary, true);
            try (PreparedStatement delete = connection.prepareStatement(
                    database.sql("DELETE FROM {s}.run_row_error WHERE run_id = ?"))) {
                delete.setString(1, run.runId());
                delete.executeUpdate();
            }
            rows.insertRowErrors(connection, run);
            return null;
        });
    }

    List<RunSummary> endAbandonedRuns(String integration, Instant at) {
        requireNonNull(integration, "integration is null");
        requireNonNull(at, "at is null");
        return database.inTransaction("[" + integration + "] Ending abandoned runs", connection -> {
            List<RunSummary> running;
            try (PreparedStatement select = connection.prepareStatement(database.sql("SELECT " + RUN_COLUMNS
                    + " FROM {s}.run r WHERE r.integration = ? AND r.status = ? ORDER BY " + NEWEST_FIRST
                    + " FOR UPDATE"))) {
                select.setString(1, integration);
                select.setString(2, RunStatus.RUNNING.name());
                running = rows.readRuns(select);
            }
            List<RunSummary> ended = new ArrayList<>();
            for (RunSummary run : running) {
                RunSummary abandoned = run.abandoned(at);
                rows.upsertRun(connection, abandoned, true);
                ended.add(abandoned);
            }
            return List.copyOf(ended);
        });
    }

    Set<String> integrationsWithRunningRuns() {
        return database.inTransaction("Finding running runs", connection -> {
            Set<String> integrations = new TreeSet<>();
            try (PreparedStatement select = connection.prepareStatement(
                    database.sql("SELECT DISTINCT integration FROM {s}.run WHERE status = ?"))) {
                select.setString(1, RunStatus.RUNNING.name());
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        integrations.add(row.getString(1));
                    }
                }
            }
            return Set.copyOf(integrations);
        });
    }

    Optional<RunSummary> run(String runId) {
        requireNonNull(runId, "runId is null");
        return database.inTransaction("Reading run " + runId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    database.sql("SELECT " + RUN_COLUMNS + " FROM {s}.run r WHERE r.run_id = ?"))) {
                select.setString(1, runId);
                List<RunSummary> runs = rows.readRuns(select);
                return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
            }
        });
    }

    List<RunSummary> runs(String integration, int limit) {
        requireNonNull(integration, "integration is null");
        RunHistoryChecks.requirePositiveLimit(limit);
        return database.inTransaction("[" + integration + "] Listing runs", connection -> {
            try (PreparedStatement select = connection.prepareStatement(database.sql("SELECT " + RUN_COLUMNS
                    + " FROM {s}.run r WHERE r.integration = ? ORDER BY " + NEWEST_FIRST + " LIMIT ?"))) {
                select.setString(1, integration);
                select.setInt(2, limit);
                return rows.readRuns(select);
            }
        });
    }

    List<RecordedRowError> rowErrors(String runId, int offset, int limit) {
        requireNonNull(runId, "runId is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        RunHistoryChecks.requirePositiveLimit(limit);
        return database.inTransaction("Listing the row errors of run " + runId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(database.sql("SELECT " + ROW_ERROR_COLUMNS
                    + " FROM {s}.run_row_error e WHERE e.run_id = ? ORDER BY e.position OFFSET ? LIMIT ?"))) {
                select.setString(1, runId);
                select.setInt(2, offset);
                select.setInt(3, limit);
                return rows.readRowErrors(select);
            }
        });
    }

    List<RecordedRowError> rowErrors(String integration, Identifier identifier, int limit) {
        requireNonNull(integration, "integration is null");
        requireNonNull(identifier, "identifier is null");
        RunHistoryChecks.requirePositiveLimit(limit);
        StoredIdentifier stored = StoredIdentifier.of(identifier);
        return database.inTransaction("[" + integration + "] Searching row errors by " + identifier.typeName(),
                connection -> {
                    try (PreparedStatement select = connection.prepareStatement(database.sql("SELECT "
                            + ROW_ERROR_COLUMNS + " FROM {s}.run_row_error e JOIN {s}.run r ON r.run_id = e.run_id "
                            + "WHERE e.integration = ? AND e.identifier_type = ? AND e.identifier_value = ? "
                            + "AND e.identifier_label = ? ORDER BY " + NEWEST_FIRST + ", e.position LIMIT ?"))) {
                        select.setString(1, integration);
                        select.setString(2, stored.type());
                        select.setString(3, stored.value());
                        select.setString(4, stored.label());
                        select.setInt(5, limit);
                        return rows.readRowErrors(select);
                    }
                });
    }

    void prune(Duration rowDetailRetention, Duration summaryRetention, Instant now) {
        RunHistoryChecks.requireRetentions(rowDetailRetention, summaryRetention);
        requireNonNull(now, "now is null");
        Instant detailCutoff = now.minus(rowDetailRetention);
        Instant summaryCutoff = now.minus(summaryRetention);
        database.inTransaction("Pruning run history", connection -> {
            try (PreparedStatement details = connection.prepareStatement(database.sql("DELETE FROM {s}.run_row_error e "
                    + "USING {s}.run r WHERE e.run_id = r.run_id AND (r.started_second, r.started_nano) < (?, ?)"));
                    PreparedStatement summaries = connection.prepareStatement(database.sql(
                            "DELETE FROM {s}.run WHERE (started_second, started_nano) < (?, ?)"))) {
                details.setLong(1, detailCutoff.getEpochSecond());
                details.setInt(2, detailCutoff.getNano());
                details.executeUpdate();
                summaries.setLong(1, summaryCutoff.getEpochSecond());
                summaries.setInt(2, summaryCutoff.getNano());
                summaries.executeUpdate();
            }
            return null;
        });
    }

}

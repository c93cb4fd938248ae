package dev.cdi.core.state;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.core.history.StoredIdentifier;
import dev.cdi.api.RowError;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.api.Watermark;
import dev.cdi.core.history.RecordedRowError;
import dev.cdi.core.history.RunSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Writes and reads rows of the {@code run} and {@code run_row_error} tables of {@link PostgresStateStore}. */
final class PostgresRunRows {

    private static final String NO_LABEL = "";

    private final PostgresDatabase database;

    PostgresRunRows(PostgresDatabase database) {
        this.database = database;
    }

    boolean upsertRun(Connection connection, RunSummary run, boolean replace) throws SQLException {
        String onConflict = replace ? "DO UPDATE SET integration = EXCLUDED.integration, status = EXCLUDED.status, "
                + "started_second = EXCLUDED.started_second, started_nano = EXCLUDED.started_nano, "
                + "finished_at = EXCLUDED.finished_at, rows_read = EXCLUDED.rows_read, "
                + "rows_synced = EXCLUDED.rows_synced, rows_failed = EXCLUDED.rows_failed, "
                + "rows_deferred = EXCLUDED.rows_deferred, first_updated_at = EXCLUDED.first_updated_at, "
                + "last_updated_at = EXCLUDED.last_updated_at, watermark_updated_at = EXCLUDED.watermark_updated_at, "
                + "watermark_rows = EXCLUDED.watermark_rows, error_code = EXCLUDED.error_code, "
                + "error_message = EXCLUDED.error_message" : "DO NOTHING";
        try (PreparedStatement upsert = connection.prepareStatement(database.sql("INSERT INTO {s}.run (run_id, "
                + "integration, status, started_second, started_nano, finished_at, rows_read, rows_synced, "
                + "rows_failed, rows_deferred, first_updated_at, last_updated_at, watermark_updated_at, "
                + "watermark_rows, error_code, error_message) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) " + onConflict))) {
            upsert.setString(1, run.runId());
            upsert.setString(2, run.integration());
            upsert.setString(3, run.status().name());
            upsert.setLong(4, run.startedAt().getEpochSecond());
            upsert.setInt(5, run.startedAt().getNano());
            upsert.setString(6, text(run.finishedAt()));
            upsert.setLong(7, run.rowsRead());
            upsert.setLong(8, run.rowsSynced());
            upsert.setLong(9, run.rowsFailed());
            upsert.setLong(10, run.rowsDeferred());
            upsert.setString(11, text(run.firstUpdatedAt()));
            upsert.setString(12, text(run.lastUpdatedAt()));
            upsert.setString(13, text(run.watermark().map(Watermark::updatedAt)));
            if (run.watermark().isPresent()) {
                upsert.setLong(14, run.watermark().get().rowsAtUpdatedAt());
            } else {
                upsert.setNull(14, Types.BIGINT);
            }
            upsert.setString(15, run.error().map(error -> error.code().name()).orElse(null));
            upsert.setString(16, run.error().map(SyncError::message).orElse(null));
            return upsert.executeUpdate() == 1;
        }
    }

    void insertRowErrors(Connection connection, RunResult run) throws SQLException {
        if (run.rowErrors().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(database.sql("INSERT INTO {s}.run_row_error ("
                + "run_id, position, integration, code, message, identifier_type, identifier_value, identifier_label, "
                + "updated_at, payload_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
            int position = 0;
            for (RowError error : run.rowErrors()) {
                Optional<StoredIdentifier> stored = error.identifier().map(StoredIdentifier::of);
                insert.setString(1, run.runId());
                insert.setInt(2, position++);
                insert.setString(3, run.integration());
                insert.setString(4, error.code().name());
                insert.setString(5, error.message());
                insert.setString(6, stored.map(StoredIdentifier::type).orElse(null));
                insert.setString(7, stored.map(StoredIdentifier::value).orElse(null));
                insert.setString(8, stored.map(StoredIdentifier::label).orElse(NO_LABEL));
                insert.setString(9, text(error.updatedAt()));
                insert.setString(10, error.payloadExcerpt().orElse(null));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    List<RunSummary> readRuns(PreparedStatement select) throws SQLException {
        List<RunSummary> runs = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String runId = row.getString(1);
                try {
                    Optional<Instant> watermarkAt = instant(row.getString(13));
                    Long watermarkRows = row.getObject(14, Long.class);
                    Optional<Watermark> watermark = watermarkAt.map(at -> new Watermark(at, watermarkRows));
                    String errorCode = row.getString(15);
                    Optional<SyncError> error = errorCode == null ? Optional.empty()
                            : Optional.of(new SyncError(ErrorCode.valueOf(errorCode), row.getString(16)));
                    runs.add(new RunSummary(runId, row.getString(2), RunStatus.valueOf(row.getString(3)),
                            Instant.ofEpochSecond(row.getLong(4), row.getInt(5)), instant(row.getString(6)),
                            row.getLong(7), row.getLong(8), row.getLong(9), row.getLong(10),
                            instant(row.getString(11)), instant(row.getString(12)), watermark, error));
                } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
                    throw database.corrupt("Run " + runId, e);
                }
            }
        }
        return runs;
    }

    List<RecordedRowError> readRowErrors(PreparedStatement select) throws SQLException {
        List<RecordedRowError> errors = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                String runId = row.getString(1);
                int position = row.getInt(2);
                try {
                    String type = row.getString(5);
                    Optional<Identifier> identifier = type == null ? Optional.empty()
                            : Optional.of(new StoredIdentifier(type, row.getString(6), row.getString(7)).toIdentifier());
                    RowError error = new RowError(RowErrorCode.valueOf(row.getString(3)), row.getString(4), identifier,
                            instant(row.getString(8)), Optional.ofNullable(row.getString(9)));
                    errors.add(new RecordedRowError(runId, position, error));
                } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
                    throw database.corrupt("Row error " + position + " of run " + runId, e);
                }
            }
        }
        return errors;
    }

    /** Instants that are only displayed are kept as ISO-8601 text: exact to the nanosecond and readable. */
    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }

    private static Optional<Instant> instant(String text) {
        return Optional.ofNullable(text).map(Instant::parse);
    }
}

package dev.cdi.core.state;

import static dev.cdi.core.state.PostgresDatabase.requireNotBlank;
import static java.util.Objects.requireNonNull;

import dev.cdi.api.Watermark;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The {@code state} table of {@link PostgresStateStore}: one watermark and fingerprint set per integration. */
final class PostgresWatermarks {

    private static final int FINGERPRINT_BYTES = 16;

    private final PostgresDatabase database;

    PostgresWatermarks(PostgresDatabase database) {
        this.database = database;
    }

    Optional<SyncState> load(String integration) {
        requireNotBlank(integration, "integration");
        return database.inTransaction("[" + integration + "] Loading state", connection -> {
            try (PreparedStatement select = connection.prepareStatement(database.sql("SELECT watermark_second, "
                    + "watermark_nano, rows_at_watermark, fingerprints, fingerprints_complete FROM {s}.state "
                    + "WHERE integration = ?"))) {
                select.setString(1, integration);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    try {
                        Watermark watermark = new Watermark(
                                Instant.ofEpochSecond(row.getLong(1), row.getInt(2)), row.getLong(3));
                        return Optional.of(new SyncState(watermark, decode(row.getBytes(4)), row.getBoolean(5)));
                    } catch (IllegalArgumentException | DateTimeException e) {
                        throw database.corrupt("[" + integration + "] The stored state", e);
                    }
                }
            }
        });
    }

    void save(String integration, SyncState state) {
        requireNotBlank(integration, "integration");
        requireNonNull(state, "state is null");
        database.inTransaction("[" + integration + "] Saving state", connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(database.sql("INSERT INTO {s}.state ("
                    + "integration, watermark_second, watermark_nano, rows_at_watermark, fingerprints, "
                    + "fingerprints_complete) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (integration) DO UPDATE SET "
                    + "watermark_second = EXCLUDED.watermark_second, watermark_nano = EXCLUDED.watermark_nano, "
                    + "rows_at_watermark = EXCLUDED.rows_at_watermark, fingerprints = EXCLUDED.fingerprints, "
                    + "fingerprints_complete = EXCLUDED.fingerprints_complete, saved_at = now()"))) {
                Instant updatedAt = state.watermark().updatedAt();
                upsert.setString(1, integration);
                upsert.setLong(2, updatedAt.getEpochSecond());
                upsert.setInt(3, updatedAt.getNano());
                upsert.setLong(4, state.watermark().rowsAtUpdatedAt());
                upsert.setBytes(5, encode(state.fingerprints()));
                upsert.setBoolean(6, state.fingerprintsComplete());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    void delete(String integration) {
        requireNotBlank(integration, "integration");
        database.update("[" + integration + "] Deleting state", "DELETE FROM {s}.state WHERE integration = ?",
                integration);
    }

    private static byte[] encode(Set<Fingerprint> fingerprints) {
        ByteBuffer buffer = ByteBuffer.allocate(fingerprints.size() * FINGERPRINT_BYTES);
        for (Fingerprint fingerprint : fingerprints) {
            buffer.putLong(fingerprint.high()).putLong(fingerprint.low());
        }
        return buffer.array();
    }

    private static Set<Fingerprint> decode(byte[] bytes) {
        if (bytes.length % FINGERPRINT_BYTES != 0) {
            throw new IllegalArgumentException("fingerprints take " + bytes.length + " bytes, not a multiple of "
                    + FINGERPRINT_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        Set<Fingerprint> fingerprints = new HashSet<>();
        while (buffer.hasRemaining()) {
            fingerprints.add(new Fingerprint(buffer.getLong(), buffer.getLong()));
        }
        return fingerprints;
    }
}

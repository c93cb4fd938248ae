package dev.cdi.core.state;

import static dev.cdi.core.state.PostgresDatabase.requireNotBlank;
import static java.util.Objects.requireNonNull;

import dev.cdi.core.lease.Lease;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The {@code lease} table of {@link PostgresStateStore}: one fenced, expiring lease per integration. */
final class PostgresLeases {

    private final PostgresDatabase database;

    PostgresLeases(PostgresDatabase database) {
        this.database = database;
    }

    Optional<Lease> tryAcquire(String integration, String holder, Duration ttl) {
        requireNotBlank(integration, "integration");
        requireNotBlank(holder, "holder");
        long ttlMicros = micros(ttl);
        // One statement: the row lock taken by ON CONFLICT makes check-and-take atomic across connections, and
        // now() is the database's clock, so no process's clock decides expiry.
        return database.inTransaction("[" + integration + "] Acquiring the lease", connection -> {
            try (PreparedStatement acquire = connection.prepareStatement(database.sql("INSERT INTO {s}.lease AS l "
                    + "(integration, holder, token, expires_at) VALUES (?, ?, 1, now() + ? * interval '1 microsecond') "
                    + "ON CONFLICT (integration) DO UPDATE SET holder = EXCLUDED.holder, token = l.token + 1, "
                    + "expires_at = EXCLUDED.expires_at WHERE l.expires_at < now() OR l.holder = EXCLUDED.holder "
                    + "RETURNING token, expires_at"))) {
                acquire.setString(1, integration);
                acquire.setString(2, holder);
                acquire.setLong(3, ttlMicros);
                try (ResultSet row = acquire.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Lease(integration, holder, row.getLong(1),
                            row.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }

    boolean renew(Lease lease, Duration ttl) {
        requireNonNull(lease, "lease is null");
        long ttlMicros = micros(ttl);
        return database.inTransaction("[" + lease.integration() + "] Renewing the lease", connection -> {
            try (PreparedStatement renew = connection.prepareStatement(database.sql("UPDATE {s}.lease "
                    + "SET expires_at = now() + ? * interval '1 microsecond' "
                    + "WHERE integration = ? AND holder = ? AND token = ?"))) {
                renew.setLong(1, ttlMicros);
                renew.setString(2, lease.integration());
                renew.setString(3, lease.holder());
                renew.setLong(4, lease.token());
                return renew.executeUpdate() == 1;
            }
        });
    }

    void release(Lease lease) {
        requireNonNull(lease, "lease is null");
        // The row stays, so the next holder's token is still larger than this one.
        database.inTransaction("[" + lease.integration() + "] Releasing the lease", connection -> {
            try (PreparedStatement release = connection.prepareStatement(database.sql("UPDATE {s}.lease "
                    + "SET holder = NULL, expires_at = '-infinity' WHERE integration = ? AND holder = ? AND token = ?"))) {
                release.setString(1, lease.integration());
                release.setString(2, lease.holder());
                release.setLong(3, lease.token());
                release.executeUpdate();
            }
            return null;
        });
    }

    private static long micros(Duration ttl) {
        requireNonNull(ttl, "ttl is null");
        long micros;
        try {
            micros = Math.addExact(Math.multiplyExact(ttl.getSeconds(), 1_000_000L), ttl.getNano() / 1_000);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("ttl " + ttl + " is too long", e);
        }
        if (micros <= 0) {
            throw new IllegalArgumentException("ttl must be at least one microsecond, was " + ttl);
        }
        return micros;
    }
}

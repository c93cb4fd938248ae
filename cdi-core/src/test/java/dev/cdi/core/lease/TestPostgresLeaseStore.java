package dev.cdi.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cdi.core.state.PostgresStateStore;
import dev.cdi.core.state.TestingPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the shared lease suite on {@link PostgresStateStore}: two stores with separate connection pools on one
 * database stand for two JVMs. Expiry is judged by the database's clock, so the suite lets time pass by moving
 * the stored expiries back, which is what the clock moving forward does to them; one test here waits for a real
 * expiry.
 */
public class TestPostgresLeaseStore extends BaseLeaseStoreTest {
    private static final Duration SHORT_TTL = Duration.ofMinutes(1);

    private final String schema = TestingPostgres.newSchema();
    private final HikariDataSource dataSource = pooled();
    private final HikariDataSource otherDataSource = pooled();
    private final PostgresStateStore store = new PostgresStateStore(dataSource, schema);
    private final PostgresStateStore otherStore = new PostgresStateStore(otherDataSource, schema);

    /**
     * A pool, as a process would have: 200 attempts in the competition test, each opening a connection of its own,
     * took most of this suite's time.
     */
    private static HikariDataSource pooled() {
        HikariConfig config = new HikariConfig();
        config.setDataSource(TestingPostgres.newDataSource());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    @AfterEach
    void closePools() {
        dataSource.close();
        otherDataSource.close();
    }

    @Override
    protected LeaseStore store() {
        return store;
    }

    @Override
    protected LeaseStore otherStore() {
        return otherStore;
    }

    @Override
    protected Duration shortTtl() {
        return SHORT_TTL;
    }

    @Override
    protected void letShortTtlPass() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + schema + ".lease SET expires_at = expires_at - interval '"
                    + (SHORT_TTL.toMillis() + 1) + " milliseconds'");
        } catch (SQLException e) {
            throw new IllegalStateException("moving the lease expiries back failed", e);
        }
    }

    @Test
    public void aLeaseLapsesByTheDatabasesClock() throws InterruptedException {
        Lease abandoned = store.tryAcquire("orders", "crashed-run", Duration.ofMillis(50)).orElseThrow();

        // Polled, not slept: the lapse is certain, when it is seen depends on the machine's load.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<Lease> taken = otherStore.tryAcquire("orders", "run-2", Duration.ofMinutes(10));
        while (taken.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            taken = otherStore.tryAcquire("orders", "run-2", Duration.ofMinutes(10));
        }

        assertThat(taken).as("taken once the 50 ms lease lapsed").hasValueSatisfying(
                lease -> assertThat(lease.token()).isGreaterThan(abandoned.token()));
    }
}

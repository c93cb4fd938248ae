package dev.cdi.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LeaseStore} shares, including two "processes" competing through two stores. */
public abstract class BaseLeaseStoreTest {
    /** Long enough that no lease in a test expires unless the test lets it. */
    private static final Duration LONG = Duration.ofMinutes(10);

    /**
     * The store under test.
     *
     * @return the store
     */
    protected abstract LeaseStore store();

    /**
     * A second store on the same leases, as another process would have.
     *
     * @return the other store
     */
    protected abstract LeaseStore otherStore();

    /**
     * A time to live much shorter than the ten minutes the other leases of a test get, yet long enough that no
     * lease lapses while the test runs unless {@link #letShortTtlPass()} lets it.
     *
     * @return the time to live
     */
    protected abstract Duration shortTtl();

    /**
     * Lets more than {@link #shortTtl()} pass by the store's clock, and no more than a minute: a lease of ten
     * minutes taken before must still hold afterwards.
     */
    protected abstract void letShortTtlPass();

    @Test
    public void secondHolderIsRefusedWhileTheFirstHolds() {
        Lease first = store().tryAcquire("orders", "run-1", LONG).orElseThrow();

        assertThat(first.integration()).isEqualTo("orders");
        assertThat(first.holder()).isEqualTo("run-1");
        assertThat(first.token()).isPositive();
        assertThat(otherStore().tryAcquire("orders", "run-2", LONG)).isEmpty();
        assertThat(store().tryAcquire("orders", "run-2", LONG)).isEmpty();
        assertThat(otherStore().tryAcquire("users", "run-2", LONG)).isPresent();
    }

    @Test
    public void sameHolderMayTakeItsLeaseAgainWithALargerToken() {
        Lease first = store().tryAcquire("orders", "run-1", LONG).orElseThrow();

        Lease again = otherStore().tryAcquire("orders", "run-1", LONG).orElseThrow();

        assertThat(again.token()).isGreaterThan(first.token());
        assertThat(store().renew(first, LONG)).isFalse();
        assertThat(store().renew(again, LONG)).isTrue();
    }

    @Test
    public void releaseLetsAnotherHolderTakeItAtOnce() {
        Lease first = store().tryAcquire("orders", "run-1", LONG).orElseThrow();

        store().release(first);
        Lease second = otherStore().tryAcquire("orders", "run-2", LONG).orElseThrow();

        assertThat(second.token()).isGreaterThan(first.token());
        assertThat(store().renew(first, LONG)).isFalse();
        store().release(first);
        assertThat(store().tryAcquire("orders", "run-3", LONG)).isEmpty();
    }

    @Test
    public void killedHoldersLeaseExpires() {
        Lease abandoned = store().tryAcquire("orders", "crashed-run", shortTtl()).orElseThrow();
        assertThat(otherStore().tryAcquire("orders", "run-2", LONG)).isEmpty();

        letShortTtlPass();
        Lease taken = otherStore().tryAcquire("orders", "run-2", LONG).orElseThrow();

        assertThat(taken.token()).isGreaterThan(abandoned.token());
        assertThat(store().renew(abandoned, LONG)).isFalse();
        assertThat(store().tryAcquire("orders", "crashed-run", LONG)).isEmpty();
    }

    @Test
    public void renewKeepsTheLeasePastItsFirstExpiry() {
        Lease lease = store().tryAcquire("orders", "run-1", shortTtl()).orElseThrow();

        assertThat(store().renew(lease, LONG)).isTrue();
        letShortTtlPass();

        assertThat(otherStore().tryAcquire("orders", "run-2", LONG)).isEmpty();
    }

    @Test
    public void exactlyOneOfManyCompetitorsWinsEachRound() throws Exception {
        int competitors = 4;
        ExecutorService pool = Executors.newFixedThreadPool(competitors);
        try {
            for (int round = 0; round < 50; round++) {
                String integration = "contested_" + round;
                CyclicBarrier start = new CyclicBarrier(competitors);
                List<Future<Optional<Lease>>> attempts = new ArrayList<>();
                for (int competitor = 0; competitor < competitors; competitor++) {
                    LeaseStore leases = competitor % 2 == 0 ? store() : otherStore();
                    String holder = "holder-" + competitor;
                    Callable<Optional<Lease>> attempt = () -> {
                        start.await();
                        return leases.tryAcquire(integration, holder, LONG);
                    };
                    attempts.add(pool.submit(attempt));
                }
                int winners = 0;
                for (Future<Optional<Lease>> attempt : attempts) {
                    winners += attempt.get().isPresent() ? 1 : 0;
                }
                assertThat(winners).as("winners of round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void refusesAnEmptyTimeToLive() {
        assertThatThrownBy(() -> store().tryAcquire("orders", "run-1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().tryAcquire("orders", " ", LONG))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

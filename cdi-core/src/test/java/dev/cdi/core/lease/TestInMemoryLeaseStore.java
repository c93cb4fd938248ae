package dev.cdi.core.lease;

import java.time.Duration;
import java.time.Instant;

/** Runs the shared lease suite on {@link InMemoryLeaseStore}, moving a testing clock instead of waiting. */
public class TestInMemoryLeaseStore extends BaseLeaseStoreTest {
    private final TestingClock clock = new TestingClock(Instant.parse("2026-03-08T06:59:59Z"));
    private final InMemoryLeaseStore store = new InMemoryLeaseStore(clock);

    @Override
    protected LeaseStore store() {
        return store;
    }

    @Override
    protected LeaseStore otherStore() {
        // One process's threads share one store; that is all an in-memory store promises.
        return store;
    }

    @Override
    protected Duration shortTtl() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected void letShortTtlPass() {
        clock.advance(Duration.ofMillis(1_001));
    }
}

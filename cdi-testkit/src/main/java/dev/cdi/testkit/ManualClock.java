package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves only when the test moves it, for schedules, leases and run times: give it to
 * {@code CdiService.builder().clock(...)}, a {@code Scheduler} or an {@code InMemoryLeaseStore} and a test decides
 * what time it is, instead of sleeping. In UTC.
 *
 * <p>Thread-safe: one thread may move it while others read it.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;

    /**
     * A clock standing at an instant.
     *
     * @param start the instant it shows until moved
     */
    public ManualClock(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far, not negative
     */
    public void advance(Duration duration) {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + duration);
        }
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone.normalized())) {
            throw new UnsupportedOperationException("a manual clock shows UTC only, not " + zone);
        }
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}

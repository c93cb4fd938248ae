package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until moved: {@code cdi run --ticks} reads schedules against it to play hours of
 * schedule in a moment.
 *
 * <p>Thread-safe.
 */
final class SteppingClock extends Clock {
    private final AtomicReference<Instant> now;

    /**
     * Creates the clock.
     *
     * @param start the time it shows until moved
     */
    SteppingClock(Instant start) {
        this.now = new AtomicReference<>(requireNonNull(start, "start is null"));
    }

    /**
     * Moves the clock forward.
     *
     * @param step how far
     */
    void advance(Duration step) {
        now.updateAndGet(instant -> instant.plus(step));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a stepping clock is always in UTC");
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}

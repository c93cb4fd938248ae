package dev.cdi.testkit;

import java.time.Duration;

/**
 * Waits for something another thread does, by polling a condition until it holds, instead of sleeping a guessed
 * time. The deadline is far beyond any normal wait: it only bounds how long a broken test hangs.
 *
 * <p>Thread-safe (stateless).
 */
final class TestingAwait {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 10;

    /** A condition to poll; it may query a database or a server, so it may throw. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private TestingAwait() {
    }

    /**
     * Returns once the condition holds.
     *
     * @param description what is awaited, for the failure message
     * @param condition the condition, polled every 10 ms
     * @throws AssertionError when it does not hold within 30 seconds
     * @throws Exception what the condition throws
     */
    static void until(String description, Condition condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not true within " + DEADLINE.toSeconds() + " s: " + description);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}

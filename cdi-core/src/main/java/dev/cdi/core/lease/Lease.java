package dev.cdi.core.lease;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The right of one holder to run one integration until a deadline.
 *
 * <p>The {@code token} is a fencing number: it grows every time the lease of an integration is acquired, so a
 * holder whose lease expired and was taken by another can be told apart from the new holder. Immutable and
 * thread-safe.
 *
 * @param integration the integration's name, not blank
 * @param holder who holds it (a run id or a process id), not blank
 * @param token the fencing number, positive
 * @param expiresAt when the lease lapses unless renewed, by the clock of the store that granted it
 */
public record Lease(String integration, String holder, long token, Instant expiresAt) {

    /** Validates every part. */
    public Lease {
        requireNotBlank(integration, "integration");
        requireNotBlank(holder, "holder");
        requireNonNull(expiresAt, "expiresAt is null");
        if (token <= 0) {
            throw new IllegalArgumentException("token must be positive, was " + token);
        }
    }

    private static void requireNotBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}

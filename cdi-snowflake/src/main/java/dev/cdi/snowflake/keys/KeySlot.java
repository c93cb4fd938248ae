package dev.cdi.snowflake.keys;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;

/**
 * One of the two public-key slots a Snowflake user has, so that a key can be replaced without downtime: Snowflake
 * accepts a login signed by the key in either slot.
 *
 * <p>An enum: immutable and thread-safe.
 */
public enum KeySlot {
    /** The user property {@code RSA_PUBLIC_KEY}, slot 1. */
    FIRST(1, "RSA_PUBLIC_KEY", "RSA_PUBLIC_KEY_FP"),
    /** The user property {@code RSA_PUBLIC_KEY_2}, slot 2. */
    SECOND(2, "RSA_PUBLIC_KEY_2", "RSA_PUBLIC_KEY_2_FP");

    private final int number;
    private final String propertyName;
    private final String fingerprintPropertyName;

    KeySlot(int number, String propertyName, String fingerprintPropertyName) {
        this.number = number;
        this.propertyName = propertyName;
        this.fingerprintPropertyName = fingerprintPropertyName;
    }

    /**
     * The slot with a number, as a user writes it.
     *
     * @param number 1 or 2
     * @return {@link #FIRST} for 1, {@link #SECOND} for 2
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} for any other number
     */
    public static KeySlot ofNumber(int number) {
        for (KeySlot slot : values()) {
            if (slot.number == number) {
                return slot;
            }
        }
        throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                "A Snowflake user has public-key slots 1 and 2, not " + number);
    }

    /**
     * The slot's number.
     *
     * @return 1 or 2
     */
    public int number() {
        return number;
    }

    /**
     * The user property holding the slot's public key, as {@code ALTER USER ... SET} names it.
     *
     * @return {@code RSA_PUBLIC_KEY} or {@code RSA_PUBLIC_KEY_2}
     */
    public String propertyName() {
        return propertyName;
    }

    /**
     * The user property {@code DESC USER} shows the slot's key fingerprint in.
     *
     * @return {@code RSA_PUBLIC_KEY_FP} or {@code RSA_PUBLIC_KEY_2_FP}
     */
    public String fingerprintPropertyName() {
        return fingerprintPropertyName;
    }

    /**
     * The other slot: where a new key goes while this one holds the key in use.
     *
     * @return {@link #SECOND} for {@link #FIRST} and the reverse
     */
    public KeySlot other() {
        return switch (this) {
            case FIRST -> SECOND;
            case SECOND -> FIRST;
        };
    }
}

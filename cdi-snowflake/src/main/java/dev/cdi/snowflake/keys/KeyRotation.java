package dev.cdi.snowflake.keys;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Experimental;
import java.util.List;
import java.util.Optional;

/**
 * Where a Snowflake user's keys stand in a rotation: the current key, the slot it is (or is to be) installed in,
 * and the previous key, which then sits in the other slot until it is retired.
 *
 * <p>The procedure, one step per method:
 * <ol>
 *   <li>Generate a key and {@link #rotate(SnowflakeKeyPair)} to it: it becomes the current key, in the slot that
 *       did not hold the old current key ({@link #freeSlot()}), and the old current key becomes the previous key.
 *       A previous key still installed there is replaced, which is why a rotation starts only after the previous
 *       one was finished.</li>
 *   <li>Show {@link #installStatement()} (with the key's {@link SnowflakeKeyPair#fingerprint()}) for the
 *       administrator to run.</li>
 *   <li>Connect trying the keys in {@link #loginOrder()}: the new key, then the previous one, which Snowflake keeps
 *       accepting until the administrator has run the statement.</li>
 *   <li>When asked, show {@link #retireStatement()} and continue with {@link #retire()}.</li>
 * </ol>
 * Pure logic: nothing here connects or stores anything.
 *
 * <p>Immutable and thread-safe.
 *
 * @param user the Snowflake user the keys belong to
 * @param current the key to log in with first
 * @param currentSlot the slot the current key is installed in, or will be once its statement has run
 * @param previous the key it replaced, still accepted in the other slot; different from the current key
 */
@Experimental
public record KeyRotation(String user, SnowflakeKeyPair current, KeySlot currentSlot,
        Optional<SnowflakeKeyPair> previous) {

    /**
     * Validates the parts.
     *
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the user name cannot be used in a
     *         statement or the previous key is the current key
     */
    public KeyRotation {
        requireNonNull(current, "current is null");
        requireNonNull(currentSlot, "currentSlot is null");
        requireNonNull(previous, "previous is null");
        SnowflakeKeyPair.quotedUser(user);
        if (previous.isPresent() && previous.get().equals(current)) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "The previous Snowflake key is the current key (" + current.fingerprint() + ")");
        }
    }

    /**
     * The first key of a user, installed in slot 1, with no previous key.
     *
     * @param user the Snowflake user
     * @param key the key
     * @return the rotation state
     */
    public static KeyRotation first(String user, SnowflakeKeyPair key) {
        return new KeyRotation(user, key, KeySlot.FIRST, Optional.empty());
    }

    /**
     * The slot a new key goes to: the one not holding the current key (and holding the previous key, if any).
     *
     * @return the other slot than {@link #currentSlot()}
     */
    public KeySlot freeSlot() {
        return currentSlot.other();
    }

    /**
     * The keys to try at login, in order: the current key, then the previous one if any.
     *
     * @return one or two keys
     */
    public List<SnowflakeKeyPair> loginOrder() {
        return previous.map(old -> List.of(current, old)).orElseGet(() -> List.of(current));
    }

    /**
     * The statement that installs the current key in its slot.
     *
     * @return for example {@code ALTER USER CDI_SYNC SET RSA_PUBLIC_KEY_2='MIIB...';}
     */
    public String installStatement() {
        return current.alterUserStatement(user, currentSlot);
    }

    /**
     * The statement that retires the previous key, emptying the slot it is in.
     *
     * @return for example {@code ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY;}, or empty with no previous key
     */
    public Optional<String> retireStatement() {
        return previous.map(old -> SnowflakeKeyPair.unsetStatement(user, freeSlot()));
    }

    /**
     * The state after a new key was generated: the new key is current in {@link #freeSlot()}, the current key
     * becomes the previous one. The old previous key is dropped.
     *
     * @param next the newly generated key
     * @return the new state
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the new key is the current key
     */
    public KeyRotation rotate(SnowflakeKeyPair next) {
        requireNonNull(next, "next is null");
        return new KeyRotation(user, next, freeSlot(), Optional.of(current));
    }

    /**
     * The state after {@link #retireStatement()} has run: the current key alone.
     *
     * @return the new state, this one when there is no previous key
     */
    public KeyRotation retire() {
        return previous.isEmpty() ? this : new KeyRotation(user, current, currentSlot, Optional.empty());
    }
}

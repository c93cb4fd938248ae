package dev.cdi.core.state;

import java.util.HexFormat;

/**
 * A 128-bit hash of a row's identifier columns, {@code UPDATED_AT} and payload text: how a run recognises rows it
 * delivered before.
 *
 * <p>Immutable and thread-safe.
 *
 * @param high the upper 64 bits
 * @param low the lower 64 bits
 */
public record Fingerprint(long high, long low) {

    /**
     * Parses the 32-hex-digit form of {@link #toHex()}.
     *
     * @param hex 32 hexadecimal digits
     * @return the fingerprint
     * @throws IllegalArgumentException when the text is not 32 hex digits
     */
    public static Fingerprint fromHex(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("a fingerprint has 32 hex digits, got " + hex.length());
        }
        return new Fingerprint(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    }

    /**
     * The fingerprint as 32 lower-case hex digits.
     *
     * @return the hex text
     */
    public String toHex() {
        return HexFormat.of().toHexDigits(high) + HexFormat.of().toHexDigits(low);
    }
}

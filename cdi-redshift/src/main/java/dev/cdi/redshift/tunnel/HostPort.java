package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.Locale;

/**
 * A host and port as the key of a pinned host key. Host names compare case-insensitively, so the host is kept in
 * lower case. Immutable and thread-safe.
 *
 * @param host the host name or address, in lower case
 * @param port the TCP port
 */
record HostPort(String host, int port) {

    HostPort {
        requireNonNull(host, "host is null");
        if (host.isBlank() || containsWhitespaceOrControl(host)) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "SSH host '" + host + "' must not be blank or contain spaces");
        }
        requirePort(port, "SSH port");
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code host:port}; the port follows the last colon, so IPv6 addresses work without brackets.
     *
     * @param text the text
     * @return the host and port
     * @throws IllegalArgumentException when the text is not {@code host:port}
     */
    static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not host:port", e);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the port of '" + text + "' is not between 1 and 65535");
        }
        return new HostPort(text.substring(0, colon), port);
    }

    static void requirePort(int port, String what) {
        if (port < 1 || port > 65_535) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    what + " must be between 1 and 65535, was " + port);
        }
    }

    static boolean containsWhitespaceOrControl(String text) {
        return text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

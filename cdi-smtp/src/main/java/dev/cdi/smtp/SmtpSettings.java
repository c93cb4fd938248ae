package dev.cdi.smtp;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach the SMTP server that sends notifications. Build with {@link #builder()}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the password; it is never logged.
 *
 * @param host the server's host name or address, not blank
 * @param port the server's port, 1 to 65535; default 587
 * @param tls how the connection is protected; default {@link TlsMode#STARTTLS}
 * @param username the user to log in as, if the server requires a login; given together with the password
 * @param password the user's password, a secret; given together with the username
 * @param from the sender's email address
 * @param connectTimeout how long to wait to connect; positive, at most {@code Integer.MAX_VALUE} milliseconds;
 *        default 10 s
 * @param readTimeout how long to wait for each answer of the server and for each write; positive, at most
 *        {@code Integer.MAX_VALUE} milliseconds; default 30 s
 */
public record SmtpSettings(
        String host,
        int port,
        TlsMode tls,
        Optional<String> username,
        Optional<String> password,
        String from,
        Duration connectTimeout,
        Duration readTimeout) {

    /** Validates every part. */
    public SmtpSettings {
        requireNonNull(host, "host is null");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw invalid("host must be a host name or address, was '" + host + "'");
        }
        if (port < 1 || port > 65_535) {
            throw invalid("port must be between 1 and 65535, was " + port);
        }
        requireNonNull(tls, "tls is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        if (username.isPresent() != password.isPresent()) {
            throw invalid("username and password must be given together");
        }
        if (username.isPresent() && username.get().isBlank()) {
            throw invalid("username must not be blank");
        }
        requireNonNull(from, "from is null");
        int at = from.indexOf('@');
        if (at <= 0 || at != from.lastIndexOf('@') || at == from.length() - 1
                || from.chars().anyMatch(c -> c <= ' ' || c == 127 || "<>(),;:\\\"[]".indexOf(c) >= 0)) {
            throw invalid("from must be an email address, was '" + from + "'");
        }
        requirePositiveMillis(connectTimeout, "connectTimeout");
        requirePositiveMillis(readTimeout, "readTimeout");
    }

    /**
     * A builder holding the defaults; host and from must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .host(host)
                .port(port)
                .tls(tls)
                .from(from)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout);
        builder.username = username;
        builder.password = password;
        return builder;
    }

    @Override
    public String toString() {
        return "SmtpSettings[host=" + host + ", port=" + port + ", tls=" + tls
                + ", username=" + username.orElse("<none>")
                + ", password=" + password.map(secret -> "****").orElse("<none>")
                + ", from=" + from + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static void requirePositiveMillis(Duration timeout, String name) {
        requireNonNull(timeout, name + " is null");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw invalid(name + " must be positive and at most " + Integer.MAX_VALUE + " ms, was " + timeout);
        }
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /**
     * How the connection to the SMTP server is protected.
     *
     * <p>Thread-safe (an enum).
     */
    public enum TlsMode {
        /** Plain text; only for a server on a trusted network or in tests. */
        NONE,
        /** Connect in plain text and upgrade with STARTTLS, which the server must offer (usually port 587). */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        SMTPS
    }

    /**
     * Builds {@link SmtpSettings}; validation happens in {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private String host;
        private int port = 587;
        private TlsMode tls = TlsMode.STARTTLS;
        private Optional<String> username = Optional.empty();
        private Optional<String> password = Optional.empty();
        private String from;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Sets the host.
         *
         * @param host a host name or address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the port.
         *
         * @param port 1 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets how the connection is protected.
         *
         * @param tls the mode
         * @return this builder
         */
        public Builder tls(TlsMode tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the login.
         *
         * @param username the user
         * @param password the user's password
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            this.username = Optional.of(requireNonNull(username, "username is null"));
            this.password = Optional.of(requireNonNull(password, "password is null"));
            return this;
        }

        /**
         * Removes the login, for a server that needs none.
         *
         * @return this builder
         */
        public Builder noCredentials() {
            this.username = Optional.empty();
            this.password = Optional.empty();
            return this;
        }

        /**
         * Sets the sender's address.
         *
         * @param from an email address
         * @return this builder
         */
        public Builder from(String from) {
            this.from = from;
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param connectTimeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the read and write timeout.
         *
         * @param readTimeout a positive duration
         * @return this builder
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * Validates and builds the settings.
         *
         * @return the settings
         * @throws CdiException {@code INVALID_CONFIGURATION}, naming the field, when a value is invalid
         */
        public SmtpSettings build() {
            if (host == null) {
                throw invalid("host is not set");
            }
            if (from == null) {
                throw invalid("from is not set");
            }
            return new SmtpSettings(host, port, tls, username, password, from, connectTimeout, readTimeout);
        }
    }
}

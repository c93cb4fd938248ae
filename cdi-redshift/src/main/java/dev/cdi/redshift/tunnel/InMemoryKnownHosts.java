package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link KnownHosts} in a concurrent map. Thread-safe. */
final class InMemoryKnownHosts implements KnownHosts {
    private final Map<HostPort, String> fingerprints = new ConcurrentHashMap<>();

    @Override
    public Optional<String> fingerprintOf(String host, int port) {
        return Optional.ofNullable(fingerprints.get(new HostPort(requireNonNull(host, "host is null"), port)));
    }

    @Override
    public void remember(String host, int port, String fingerprint) {
        HostPort key = new HostPort(requireNonNull(host, "host is null"), port);
        fingerprints.put(key, SshFingerprints.requireValid(fingerprint, "The fingerprint of " + key));
    }

    @Override
    public String toString() {
        return "in-memory known hosts " + fingerprints;
    }
}

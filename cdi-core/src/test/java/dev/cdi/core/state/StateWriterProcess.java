package dev.cdi.core.state;

import dev.cdi.api.Watermark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A child process for {@link FileStateStoreTest}: saves ever newer states until it is killed. */
public final class StateWriterProcess {
    static final int FINGERPRINTS = 20_000;

    private StateWriterProcess() {
    }

    /**
     * Saves states forever, reporting each completed save on standard output.
     *
     * @param args the state directory
     */
    public static void main(String[] args) {
        FileStateStore store = new FileStateStore(Path.of(args[0]));
        long start = store.load("users").map(s -> s.watermark().rowsAtUpdatedAt()).orElse(0L);
        for (long n = start + 1; ; n++) {
            Set<Fingerprint> fingerprints = new HashSet<>();
            for (int i = 0; i < FINGERPRINTS; i++) {
                fingerprints.add(new Fingerprint(n, i));
            }
            store.save("users", new SyncState(new Watermark(Instant.ofEpochSecond(1_700_000_000L, n), n), fingerprints, true));
            System.out.println("saved " + n);
            System.out.flush();
        }
    }
}

package dev.cdi.cli;

import java.nio.file.Path;

/** A separate process that holds an integration's lock until its standard input closes, then exits. */
public final class LockHolderProcess {
    private LockHolderProcess() {
    }

    /**
     * Takes the lock and reports it on standard output.
     *
     * @param args the state directory and the integration's name
     * @throws Exception when the lock cannot be taken
     */
    public static void main(String[] args) throws Exception {
        IntegrationLocks.Held held = new IntegrationLocks(Path.of(args[0])).tryLock(args[1]).orElseThrow();
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
            // Holds the lock until the parent closes the pipe (or kills this process).
        }
        held.close();
    }
}

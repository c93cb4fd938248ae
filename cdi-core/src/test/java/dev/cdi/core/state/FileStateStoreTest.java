package dev.cdi.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Watermark;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shared state store suite on {@link FileStateStore}, plus what only files have: reopening, corruption, kills. */
class FileStateStoreTest extends BaseStateStoreTest {
    @TempDir
    Path directory;

    private FileStateStore store;

    @BeforeEach
    void openStore() {
        store = new FileStateStore(directory);
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Test
    void aStoreOpenedLaterOnTheDirectoryReadsWhatWasSaved() {
        SyncState state = new SyncState(new Watermark(Instant.parse("2026-01-02T03:04:05.123456789Z"), 3),
                Set.of(new Fingerprint(1, -2), new Fingerprint(Long.MIN_VALUE, Long.MAX_VALUE)), false);
        store.save("users", state);
        assertThat(new FileStateStore(directory).load("users")).contains(state);
        store.delete("users");
        assertThat(new FileStateStore(directory).load("users")).isEmpty();
    }

    @Test
    void aCorruptFileIsAnErrorNeverASilentReset() throws Exception {
        Files.writeString(directory.resolve("users.state.json"), "{\"version\":1,\"watermark\":");
        assertThatThrownBy(() -> new FileStateStore(directory).load("users"))
                .isInstanceOf(CdiException.class)
                .satisfies(e -> assertThat(((CdiException) e).errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED))
                .hasMessageContaining("users.state.json");
    }

    @Test
    void leftoverTemporaryFilesAreRemovedOnOpen() throws Exception {
        Files.writeString(directory.resolve("users.state.json.tmp-123"), "half");
        new FileStateStore(directory);
        assertThat(directory.resolve("users.state.json.tmp-123")).doesNotExist();
    }

    /**
     * Kills a process that keeps saving state, at several instants, and checks that what is on disk afterwards is
     * always a whole state, at least as new as the last save the process reported complete.
     */
    @Test
    @Tag("slow")
    void stateSurvivesTheProcessBeingKilledWhileWritingIt() throws Exception {
        for (int kill = 0; kill < 5; kill++) {
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StateWriterProcess.class.getName(), directory.toString())
                    .redirectErrorStream(true)
                    .start();
            long lastReported = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                int savesToWaitFor = 5 + kill * 7;
                for (int i = 0; i < savesToWaitFor; i++) {
                    String line = out.readLine();
                    assertThat(line).as("writer output").isNotNull().startsWith("saved ");
                    lastReported = Long.parseLong(line.substring("saved ".length()));
                }
                writer.destroyForcibly();
                assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            SyncState state = new FileStateStore(directory).load("users").orElseThrow();
            assertThat(state.watermark().rowsAtUpdatedAt()).isGreaterThanOrEqualTo(lastReported);
            assertThat(state.fingerprints()).hasSize(StateWriterProcess.FINGERPRINTS);
            assertThat(state.watermark().updatedAt())
                    .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, state.watermark().rowsAtUpdatedAt()));
        }
    }
}

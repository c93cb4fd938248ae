package dev.cdi.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shared run history suite on {@link FileRunHistory}, and checks that runs outlive the instance. */
public class TestFileRunHistory extends BaseRunHistoryTest {
    @TempDir
    Path directory;

    private FileRunHistory history;

    @Override
    protected RunHistory history() {
        if (history == null) {
            history = new FileRunHistory(directory);
        }
        return history;
    }

    @Test
    public void anotherInstanceOnTheSameDirectorySeesTheRuns() throws Exception {
        Instant start = Instant.parse("2026-11-29T08:00:00Z");
        history().recordEnd(new RunResult("run-1", "orders", RunStatus.SUCCESS, start, start.plusSeconds(1), 1, 1, 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty()));

        FileRunHistory reopened = new FileRunHistory(directory);

        assertThat(reopened.runs("orders", 10)).extracting(RunSummary::runId).containsExactly("run-1");
        assertThat(Files.exists(directory.resolve("orders").resolve("run-1.json"))).isTrue();
    }

    @Test
    public void unsafeRunIdsAreNeverFound() {
        assertThat(history().run("../orders")).isEmpty();
        assertThat(history().rowErrors("../x", 0, 10)).isEmpty();
    }
}

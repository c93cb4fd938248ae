package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.RunProgress;
import dev.cdi.core.SyncEngine;
import dev.cdi.core.history.FileRunHistory;
import dev.cdi.api.RowSink;
import java.nio.file.Path;
import dev.cdi.core.state.FileStateStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the integrations of a configuration file once each, one after the other, each into its JSON-lines sink,
 * with the watermarks in the file's state directory; records every run in the file's run history and prints it as
 * soon as it ends.
 *
 * <p>Not thread-safe: one runner per command. Closing it closes the connectors its runs opened.
 */
final class SyncRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncRunner.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final SyncEngine engine;
    private final FileRunHistory history;
    private final IntegrationLocks locks;

    /**
     * Prepares a runner.
     *
     * @param config the configuration file
     * @param connectors the connectors to open integrations with
     * @throws dev.cdi.api.CdiException when the state or history directory cannot be opened
     */
    SyncRunner(ConfigFile config, ConnectorRegistry connectors) {
        requireNonNull(config, "config is null");
        this.engine = SyncEngine.builder()
                .stateStore(new FileStateStore(config.stateDirectory()))
                .connectors(requireNonNull(connectors, "connectors is null"))
                .build();
        this.history = new FileRunHistory(config.historyDirectory());
        this.locks = new IntegrationLocks(config.stateDirectory());
    }

    /**
     * Runs integrations and prints each result.
     *
     * @param integrations the integrations, run in this order
     * @param out where to print
     * @param format how to print a run (its text ends with a line break or not; a line break is added when missing)
     * @param progress whether to draw a live progress line during each run, cleared before the run is printed
     * @return the exit code: 0 when every run ended {@code SUCCESS} or {@code PARTIAL}, otherwise 1
     */
    int runAll(List<IntegrationConfig> integrations, PrintWriter out, Function<RunResult, String> format,
            boolean progress) {
        CountDownLatch finished = new CountDownLatch(1);
        // On SIGTERM (or Ctrl-C) the run stops at its next checkpointable boundary instead of mid-batch, and the
        // JVM waits for it, within a bound, before it exits.
        Thread stopOnShutdown = new Thread(() -> {
            engine.requestStop();
            try {
                if (!finished.await(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    log.warn("The run did not reach a checkpoint within {}; exiting anyway (the next run resumes from"
                            + " the last checkpoint)", STOP_GRACE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cdi-graceful-stop");
        Runtime.getRuntime().addShutdownHook(stopOnShutdown);
        try {
            boolean allCompleted = true;
            for (IntegrationConfig integration : integrations) {
                Optional<ProgressLine> line = progress
                        ? Optional.of(new ProgressLine(integration.name(), out, System::nanoTime)) : Optional.empty();
                RunResult result = run(integration, line.map(RunProgress.class::cast).orElse(RunProgress.NONE));
                line.ifPresent(shown -> shown.finish(result.rowsRead()));
                history.recordEnd(result);
                String text = format.apply(result);
                out.print(text.endsWith(System.lineSeparator()) ? text : text + System.lineSeparator());
                out.flush();
                allCompleted &= result.status().completed();
            }
            return allCompleted ? 0 : 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnShutdown);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it has been told that the runs finished.
            }
        }
    }

    private RunResult run(IntegrationConfig integration, RunProgress progress) {
        Optional<IntegrationLocks.Held> lock = locks.tryLock(integration.name());
        if (lock.isEmpty()) {
            return failed(integration, ErrorCode.ANOTHER_RUN_IN_PROGRESS, "[" + integration.name() + "] Another cdi "
                    + "process is running this integration (it holds " + locks.file(integration.name()) + "); this "
                    + "run read nothing and left the watermark to it");
        }
        try {
            return runLocked(integration, progress);
        } finally {
            lock.get().close();
        }
    }

    private RunResult runLocked(IntegrationConfig integration, RunProgress progress) {
        RowSink sink;
        try {
            sink = integration.sink().open(integration.name());
        } catch (UncheckedIOException e) {
            return failed(integration, ErrorCode.SINK_FAILED, "Cannot open the sink file "
                    + integration.sinkFile().map(Path::toString).orElse("") + ": " + e.getCause().getMessage());
        }
        try {
            return engine.run(UUID.randomUUID().toString(), integration.spec(), sink, progress);
        } finally {
            try {
                integration.sink().close(sink);
            } catch (UncheckedIOException e) {
                // Every acknowledged batch was already forced to disk, so the run's result still holds.
                log.warn("[{}] Cannot close the sink {}: {}", integration.name(), sink, e.getCause().toString());
            }
        }
    }

    /** Closes the connectors kept open for the runs, such as a DuckDB file's database and its lock. */
    @Override
    public void close() {
        engine.close();
    }

    private RunResult failed(IntegrationConfig integration, ErrorCode code, String message) {
        Instant now = Instant.now();
        return new RunResult(UUID.randomUUID().toString(), integration.name(), RunStatus.ERROR, now, now, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), engine.watermark(integration.name()), List.of(),
                Optional.of(new SyncError(code, message)));
    }
}

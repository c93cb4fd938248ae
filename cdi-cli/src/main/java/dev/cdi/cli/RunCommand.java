package dev.cdi.cli;

import dev.cdi.api.RunResult;
import dev.cdi.core.scheduler.IntegrationCatalog;
import dev.cdi.core.scheduler.IntegrationRunner;
import dev.cdi.core.scheduler.ScheduledIntegration;
import dev.cdi.core.scheduler.Scheduler;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code cdi run [--config FILE]}: runs the integrations that have a {@code schedule} when it says, printing a line per
 * finished run, until interrupted (Ctrl-C or SIGTERM stop it cleanly: runs in progress finish first).
 *
 * <p>The hidden {@code --ticks N} plays N scheduler ticks on a clock that moves {@code --tick-interval} per tick,
 * then waits for the runs and exits with 0 when every run ended {@code SUCCESS} or {@code PARTIAL}, otherwise 1:
 * hours of schedule in a moment, for tests and for trying a schedule out.
 *
 * <p>Not thread-safe; picocli creates one per command line.
 */
@Command(name = "run",
        description = "Runs the scheduled integrations when their schedules say, until interrupted; a line per run.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped",
            "2:a bad command line or configuration file, or no integration has a schedule"})
final class RunCommand implements Callable<Integer> {
    /** Runs start at most this late: schedules are in whole minutes, so looking more often gains nothing. */
    private static final String DEFAULT_TICK_INTERVAL = "PT30S";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "How many integrations may run at once (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--tick-interval", hidden = true, defaultValue = DEFAULT_TICK_INTERVAL)
    private Duration tickInterval;

    @Option(names = "--ticks", hidden = true)
    private Optional<Integer> ticks = Optional.empty();

    @Override
    public Integer call() throws InterruptedException {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
        }
        if (tickInterval.isNegative() || tickInterval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--tick-interval must be positive, was " + tickInterval);
        }
        Workspace workspace = config.open();
        List<ScheduledIntegration> scheduled = workspace.config().integrations().stream()
                .filter(integration -> integration.schedule().isPresent())
                .map(IntegrationConfig::scheduled)
                .collect(Collectors.toList());
        if (scheduled.isEmpty()) {
            throw new ConfigException(workspace.config().file() + ": no integration has a schedule; add one such as "
                    + "'schedule: every 15 minutes' to an integration");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (IntegrationConfig integration : workspace.config().integrations()) {
            out.println(integration.name() + ": " + integration.schedule()
                    .map(schedule -> schedule + " (" + integration.zone().getId() + ")").orElse("not scheduled"));
        }
        out.flush();
        Clock clock = ticks.isPresent() ? new SteppingClock(Instant.now()) : Clock.systemUTC();
        AtomicBoolean allCompleted = new AtomicBoolean(true);
        CliSinks sinks = new CliSinks(workspace.sinks());
        ReportingRunHistory history = new ReportingRunHistory(workspace.history(), result -> {
            sinks.close(result.integration());
            if (!result.status().completed()) {
                allCompleted.set(false);
            }
            print(out, result);
        });
        IntegrationRunner runner = workspace.runner(history, sinks, clock);
        Scheduler scheduler = new Scheduler(IntegrationCatalog.of(scheduled), runner, threads, tickInterval, clock);
        Runnable stop = () -> {
            scheduler.close();
            runner.close();
            sinks.close();
            workspace.close();
        };
        if (ticks.isPresent()) {
            for (int tick = 0; tick < ticks.get(); tick++) {
                scheduler.tick();
                ((SteppingClock) clock).advance(tickInterval);
            }
            stop.run();
            return allCompleted.get() ? 0 : ErrorHandler.FAILED;
        }
        return runUntilStopped(scheduler, stop, out);
    }

    private static int runUntilStopped(Scheduler scheduler, Runnable stop, PrintWriter out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stopAndSay = () -> {
            stop.run();
            synchronized (out) {
                out.println("stopped");
                out.flush();
            }
        };
        Thread hook = new Thread(() -> {
            stopAndSay.run();
            stopped.countDown();
        }, "cdi-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        scheduler.start();
        try {
            stopped.await();
        } catch (InterruptedException interrupted) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running already and stops everything.
                throw interrupted;
            }
            stopAndSay.run();
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void print(PrintWriter out, RunResult result) {
        // Runs end on the scheduler's threads: one run's lines must not mix with another's.
        synchronized (out) {
            out.print(RunReport.format(result));
            out.flush();
        }
    }
}

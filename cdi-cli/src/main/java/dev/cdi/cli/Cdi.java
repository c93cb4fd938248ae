package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code cdi} command: {@code cdi demo} syncs a local sample warehouse with no set-up, {@code cdi sync} runs
 * the integrations of a configuration file, {@code cdi run} runs them on their schedules, and {@code integrations},
 * {@code test}, {@code sync-now}, {@code runs} and {@code errors} manage them; {@code connectors} lists the installed
 * connectors and describes their settings; {@code fake-warehouse} serves a DuckDB file as a local fake warehouse to
 * try an integration on. Without a subcommand it runs {@code cdi demo}.
 *
 * <p>Not thread-safe; create one command line per invocation with {@link #commandLine()}.
 */
@Command(name = "cdi",
        description = {
            "Cloud data ingestion: syncs rows that changed since the last run from a warehouse table into a sink.",
            "Without a command, runs 'cdi demo'."},
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {DemoCommand.class, SyncCommand.class, IntegrationsCommand.class, TestCommand.class,
            SyncNowCommand.class, RunCommand.class, RunsCommand.class, ErrorsCommand.class, KeygenCommand.class,
            ConnectorsCommand.class, FakeWarehouseCommand.class, FakeBrazeCommand.class, CommandLine.HelpCommand.class})
public final class Cdi implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final CliEnvironment environment;

    /** Creates the command; use {@link #commandLine()} to run it. */
    public Cdi() {
        this(CliEnvironment.system());
    }

    private Cdi(CliEnvironment environment) {
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * A command line for one invocation, with the error handling and exit codes of SPEC section 12; set its output
     * with {@link CommandLine#setOut} and {@link CommandLine#setErr} before running it with
     * {@link CommandLine#execute}.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        return commandLine(CliEnvironment.system());
    }

    /**
     * A command line that reads its environment variables and working directory from {@code environment}.
     *
     * @param environment the environment
     * @return the command line
     */
    static CommandLine commandLine(CliEnvironment environment) {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new Cdi(environment))
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
    }

    /**
     * The environment of the command line a command belongs to.
     *
     * @param command a command of a {@code cdi} command line
     * @return its environment; the process's own when the command runs outside one
     */
    static CliEnvironment environment(CommandSpec command) {
        return command.root().userObject() instanceof Cdi cdi ? cdi.environment : CliEnvironment.system();
    }

    @Override
    public Integer call() {
        return spec.commandLine().getSubcommands().get("demo").execute();
    }
}

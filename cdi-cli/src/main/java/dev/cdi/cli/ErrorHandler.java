package dev.cdi.cli;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCategory;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one line on standard error and an exit code: 2 for a bad command line or configuration, 1
 * for anything else. Users see no stack trace for their own mistakes or their machine's (files, the warehouse);
 * only an unexpected failure, a bug, prints one, since that is what a bug report needs.
 *
 * <p>Thread-safe (stateless).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int USAGE = CommandLine.ExitCode.USAGE;
    static final int FAILED = 1;

    @Override
    public int handleParseException(ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("cdi: " + exception.getMessage());
        UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int exitCode;
        if (exception instanceof ConfigException) {
            err.println("cdi: " + exception.getMessage());
            exitCode = USAGE;
        } else if (exception instanceof CdiException) {
            err.println("cdi: " + exception.getMessage());
            exitCode = ((CdiException) exception).category() == ErrorCategory.CONFIG ? USAGE : FAILED;
        } else if (exception instanceof UncheckedIOException) {
            err.println("cdi: " + exception.getMessage() + ": " + exception.getCause());
            exitCode = FAILED;
        } else {
            err.println("cdi: unexpected failure, please report it: " + exception);
            exception.printStackTrace(err);
            exitCode = FAILED;
        }
        err.flush();
        return exitCode;
    }
}

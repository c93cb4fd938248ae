package dev.cdi.core.history;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Identifier;
import dev.cdi.api.RowError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What every {@link RunHistory} implementation checks and computes alike: argument rules, and paging and searching
 * of row errors for the implementations that hold them in lists. Not API for applications; public so that stores in
 * other packages share it.
 *
 * <p>Thread-safe (stateless).
 */
public final class RunHistoryChecks {
    private RunHistoryChecks() {
    }

    /**
     * Refuses a limit below 1.
     *
     * @param limit the most entries to return
     * @throws IllegalArgumentException when it is not positive
     */
    public static void requirePositiveLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
    }

    /**
     * Refuses retentions that are missing, negative, or where summaries would go before their row detail.
     *
     * @param rowDetailRetention how long row errors are kept
     * @param summaryRetention how long run summaries are kept
     * @throws IllegalArgumentException when they do not fit together
     */
    public static void requireRetentions(Duration rowDetailRetention, Duration summaryRetention) {
        requireNonNull(rowDetailRetention, "rowDetailRetention is null");
        requireNonNull(summaryRetention, "summaryRetention is null");
        if (rowDetailRetention.isNegative()) {
            throw new IllegalArgumentException("rowDetailRetention must not be negative, was " + rowDetailRetention);
        }
        if (summaryRetention.compareTo(rowDetailRetention) < 0) {
            throw new IllegalArgumentException("summaryRetention " + summaryRetention
                    + " must not be shorter than rowDetailRetention " + rowDetailRetention);
        }
    }

    static List<RecordedRowError> page(String runId, List<RowError> errors, int offset, int limit) {
        requireNonNull(runId, "runId is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        requirePositiveLimit(limit);
        List<RecordedRowError> page = new ArrayList<>();
        for (int position = offset; position < errors.size() && page.size() < limit; position++) {
            page.add(new RecordedRowError(runId, position, errors.get(position)));
        }
        return page;
    }

    static List<RecordedRowError> byIdentifier(List<RunSummary> runsNewestFirst,
            Function<String, List<RowError>> errorsOfRun, Identifier identifier, int limit) {
        requireNonNull(identifier, "identifier is null");
        requirePositiveLimit(limit);
        List<RecordedRowError> found = new ArrayList<>();
        for (RunSummary run : runsNewestFirst) {
            List<RowError> errors = errorsOfRun.apply(run.runId());
            for (int position = 0; position < errors.size() && found.size() < limit; position++) {
                if (errors.get(position).identifier().filter(identifier::equals).isPresent()) {
                    found.add(new RecordedRowError(run.runId(), position, errors.get(position)));
                }
            }
        }
        return found;
    }
}

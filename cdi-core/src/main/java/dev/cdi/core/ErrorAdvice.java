package dev.cdi.core;

import dev.cdi.api.ErrorCategory;

/**
 * What a user should do about a sync-level error of each category: one sentence or two, shared by the connection
 * test and the notifications so both give the same advice.
 *
 * <p>Thread-safe (stateless).
 */
public final class ErrorAdvice {
    private ErrorAdvice() {
    }

    /**
     * The advice for a category.
     *
     * @param category the error's category
     * @return what to do
     */
    public static String forCategory(ErrorCategory category) {
        // A switch expression, so that a new category without advice is a compile error.
        return switch (category) {
            case CONNECTIVITY ->
                    "Check the network path to the warehouse and that the warehouse is available. "
                    + "Nothing is lost: the watermark keeps its last checkpoint, and the sync will be retried "
                    + "on the next run.";
            case AUTHENTICATION ->
                    "The warehouse refused the credential. Update the credential the integration uses "
                    + "(password, key or token); the next run will use it.";
            case PERMISSIONS ->
                    "Grant the integration's warehouse user USAGE on the database and schema and SELECT on "
                    + "the source table or view.";
            case TABLE_NOT_FOUND ->
                    "Check that the source table or view exists under the configured name and is visible to "
                    + "the integration's warehouse user, or update the integration's table.";
            case SCHEMA ->
                    "Fix the source table's columns: add the columns the data type requires with the expected "
                    + "types (and no PAYLOAD column on a delete table), then run the connection test.";
            case RESOURCES ->
                    "Something is out of a resource: the warehouse (quota, a suspended warehouse) or this process "
                    + "(memory). Free or raise it; the sync will be retried on the next run.";
            case CONFIG ->
                    "Correct the integration's configuration as the error says, then run the connection test.";
            case SINK ->
                    "The sink that receives the rows failed. Check the sink's own log and the service behind it "
                    + "(an API, a queue, a file). If the error says the sink broke its contract, the sink's code "
                    + "has a defect that retrying cannot fix: correct it first. Nothing is lost: the watermark "
                    + "stays before the batch the sink did not acknowledge, and the next run sends it again.";
            case STATE ->
                    "CDI cannot read or write its own state (watermarks, run history): check the state database "
                    + "or directory named in the error (reachable, writable, disk space). A damaged state file is "
                    + "never treated as a first run; fix or delete it, or reset the integration's watermark.";
            case INTERNAL ->
                    "This is a defect in CDI. Please report it with the error and the log lines of the run. "
                    + "Nothing is lost: the watermark keeps its last checkpoint.";
        };
    }

    /**
     * The advice when a run found more rows than its row limit.
     *
     * @return what to do
     */
    public static String rowLimitExceeded() {
        return "The run found more new rows than the integration's row limit, so it read none and the watermark "
                + "did not move. Raise the row limit, or reset the integration to start from a later "
                + "UPDATED_AT; the next run will try again.";
    }
}

package dev.cdi.api;

/**
 * The stable codes of sync-level errors. Each code belongs to one {@link ErrorCategory} and says whether
 * retrying later can help.
 *
 * <p>Thread-safe (an enum).
 */
public enum ErrorCode {
    /** The warehouse could not be reached or the connection broke. */
    CONNECTION_FAILED(ErrorCategory.CONNECTIVITY, true),
    /** A query ran longer than its timeout or was cancelled. */
    QUERY_TIMEOUT(ErrorCategory.CONNECTIVITY, true),
    /** A query failed for a reason the connector could not classify; the message keeps the original. */
    QUERY_FAILED(ErrorCategory.CONNECTIVITY, false),
    /** The warehouse refused the credentials. */
    AUTHENTICATION_FAILED(ErrorCategory.AUTHENTICATION, false),
    /** The SSH bastion host refused the tunnel's key: the public key is not in the bastion user's authorized keys. */
    SSH_AUTHENTICATION_FAILED(ErrorCategory.AUTHENTICATION, false),
    /**
     * The SSH bastion host presented a host key other than the pinned one (or none is pinned and trusting on first
     * use is off). Never accepted silently: the user must check the bastion and update the pinned fingerprint.
     */
    SSH_HOST_KEY_REJECTED(ErrorCategory.CONFIG, false),
    /** The warehouse user lacks a privilege. */
    PERMISSION_DENIED(ErrorCategory.PERMISSIONS, false),
    /** The source table or view does not exist. */
    TABLE_NOT_FOUND(ErrorCategory.TABLE_NOT_FOUND, false),
    /** A column that the data type requires is missing. */
    MISSING_COLUMN(ErrorCategory.SCHEMA, false),
    /** A column has a type CDI cannot read for its purpose. */
    INVALID_COLUMN_TYPE(ErrorCategory.SCHEMA, false),
    /**
     * The warehouse refused the statement CDI sent for the table as not allowed or not supported (SQLState classes
     * {@code 42} and {@code 0A}): a name that makes a cross-database reference, an object of a kind the connector
     * cannot read. The message keeps the warehouse's SQLState and text.
     */
    STATEMENT_REFUSED(ErrorCategory.CONFIG, false),
    /**
     * A value in the table could not be read as the type its column should have (SQLState class {@code 22}, a data
     * exception): fix the data or the view that produces it.
     */
    DATA_UNREADABLE(ErrorCategory.SCHEMA, false),
    /** A user-delete table has a {@code PAYLOAD} column; refused so that no user is deleted by mistake. */
    PAYLOAD_ON_DELETE_TABLE(ErrorCategory.SCHEMA, false),
    /** The warehouse ran out of a resource (quota, a stopped warehouse, space). */
    RESOURCE_EXHAUSTED(ErrorCategory.RESOURCES, true),
    /**
     * The process running a run stopped (killed, crashed, restarted) before the run ended, so its lease expired; the
     * run was marked ended by the next holder of the lease. The next run resumes from the last checkpoint.
     */
    RUN_ABANDONED(ErrorCategory.RESOURCES, true),
    /**
     * Another run of the integration is in progress (another process holds its lock): nothing was read; the next
     * run resumes where that one ends.
     */
    ANOTHER_RUN_IN_PROGRESS(ErrorCategory.RESOURCES, true),
    /**
     * The run was asked to stop (its process is shutting down): it delivered and checkpointed every complete group
     * of rows it had read, and the next run resumes there.
     */
    RUN_STOPPED(ErrorCategory.RESOURCES, true),
    /** The state store could not be read or written, or holds something unreadable. */
    STATE_STORE_FAILED(ErrorCategory.STATE, true),
    /**
     * The process ran out of memory while running the sync; nothing after the last checkpoint was kept. Give it
     * more heap (or smaller batches): retrying alone does not help.
     */
    OUT_OF_MEMORY(ErrorCategory.RESOURCES, false),
    /** A defect in CDI itself; the message and the log say where. Please report it. */
    INTERNAL_ERROR(ErrorCategory.INTERNAL, false),
    /** A run found more rows than its row limit; it read none and left the watermark where it was. */
    ROW_LIMIT_EXCEEDED(ErrorCategory.CONFIG, false),
    /** A setting is missing or invalid. */
    INVALID_CONFIGURATION(ErrorCategory.CONFIG, false),
    /** No connector is registered under the requested name, or several are. */
    UNKNOWN_CONNECTOR(ErrorCategory.CONFIG, false),
    /**
     * A change was decided on something another process (or thread) has changed since it was read, such as an
     * integration updated elsewhere: nothing was written; read again and repeat the change if it still applies.
     */
    CONCURRENT_CHANGE(ErrorCategory.CONFIG, true),
    /** The sink kept failing after every retry (or could not be opened); a later run may succeed. */
    SINK_FAILED(ErrorCategory.SINK, true),
    /**
     * The sink broke the {@link RowSink} contract: it returned no stage, or answered no list, a list with a null
     * outcome, or a number of outcomes other than the batch's rows. A defect in the sink, so the batch is not
     * retried.
     */
    SINK_CONTRACT_VIOLATED(ErrorCategory.SINK, false);

    private final ErrorCategory category;
    private final boolean retryable;

    ErrorCode(ErrorCategory category, boolean retryable) {
        this.category = category;
        this.retryable = retryable;
    }

    /**
     * The category, which tells the user what to do.
     *
     * @return the category of this code
     */
    public ErrorCategory category() {
        return category;
    }

    /**
     * Whether the same request can succeed later without any change by the user.
     *
     * @return true when waiting and retrying can help
     */
    public boolean retryable() {
        return retryable;
    }
}

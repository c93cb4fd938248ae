package dev.cdi.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The tunable options of an integration. Build with {@link #builder()}; {@link #defaults()} gives the values
 * documented on each accessor.
 *
 * <p>Immutable and thread-safe.
 *
 * @param settleLag rows newer than the warehouse's time minus this lag wait for a later run; default 0, at most
 *        {@link #MAX_LAG}
 * @param lookback how far below the watermark each run looks again for late-committed rows; default 0, at most
 *        {@link #MAX_LAG}
 * @param updateExistingOnly when true, rows may only update existing users; default false
 * @param batchSize the most rows per sink batch; default 500, at most 10,000
 * @param rowLimit the most rows one run may read; a run that finds more ends {@code LIMIT_EXCEEDED}; default
 *        500,000,000
 * @param checkpointEvery how many rows between checkpoints; default 10,000
 * @param fingerprintLimit the most fingerprints kept for the look-back window; above it the next run falls
 *        back to the count rule; default 100,000
 * @param sinkAttempts how many times a failing batch is tried before the run fails; default 5
 * @param sinkRetryBackoff the wait before the first retry, doubled on each further retry; default 1 s
 * @param rowErrorsKept how many row errors a run result keeps in detail (all are counted); default 1,000
 */
public record SyncOptions(
        Duration settleLag,
        Duration lookback,
        boolean updateExistingOnly,
        int batchSize,
        long rowLimit,
        int checkpointEvery,
        int fingerprintLimit,
        int sinkAttempts,
        Duration sinkRetryBackoff,
        int rowErrorsKept) {

    /** The most a settle lag or a look-back may be: 30 days (SPEC 4.7). */
    public static final Duration MAX_LAG = Duration.ofDays(30);


    /** The largest batch size allowed. */
    public static final int MAX_BATCH_SIZE = 10_000;

    /** Validates every option. */
    public SyncOptions {
        requireLag(settleLag, "settleLag");
        requireLag(lookback, "lookback");
        requireNonNegative(sinkRetryBackoff, "sinkRetryBackoff");
        requireRange(batchSize, 1, MAX_BATCH_SIZE, "batchSize");
        if (rowLimit < 1) {
            throw invalid("rowLimit must be at least 1, was " + rowLimit);
        }
        requireRange(checkpointEvery, 1, Integer.MAX_VALUE, "checkpointEvery");
        requireRange(fingerprintLimit, 0, Integer.MAX_VALUE, "fingerprintLimit");
        requireRange(sinkAttempts, 1, 100, "sinkAttempts");
        requireRange(rowErrorsKept, 0, 1_000_000, "rowErrorsKept");
    }

    /**
     * The default options.
     *
     * @return the defaults
     */
    public static SyncOptions defaults() {
        return builder().build();
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder()
                .settleLag(settleLag)
                .lookback(lookback)
                .updateExistingOnly(updateExistingOnly)
                .batchSize(batchSize)
                .rowLimit(rowLimit)
                .checkpointEvery(checkpointEvery)
                .fingerprintLimit(fingerprintLimit)
                .sinkAttempts(sinkAttempts)
                .sinkRetryBackoff(sinkRetryBackoff)
                .rowErrorsKept(rowErrorsKept);
    }

    private static void requireLag(Duration duration, String name) {
        requireNonNegative(duration, name);
        if (duration.compareTo(MAX_LAG) > 0) {
            throw invalid(name + " must be at most " + MAX_LAG.toDays() + " days (" + MAX_LAG + "), was " + duration);
        }
    }

    private static void requireNonNegative(Duration duration, String name) {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative()) {
            throw invalid(name + " must not be negative, was " + duration);
        }
    }

    private static void requireRange(long value, long min, long max, String name) {
        if (value < min || value > max) {
            throw invalid(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /**
     * Builds {@link SyncOptions}; validation happens in {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private Duration settleLag = Duration.ZERO;
        private Duration lookback = Duration.ZERO;
        private boolean updateExistingOnly;
        private int batchSize = 500;
        private long rowLimit = 500_000_000L;
        private int checkpointEvery = 10_000;
        private int fingerprintLimit = 100_000;
        private int sinkAttempts = 5;
        private Duration sinkRetryBackoff = Duration.ofSeconds(1);
        private int rowErrorsKept = 1_000;

        private Builder() {
        }

        /**
         * Sets the settle lag.
         *
         * @param settleLag a non-negative duration
         * @return this builder
         */
        public Builder settleLag(Duration settleLag) {
            this.settleLag = settleLag;
            return this;
        }

        /**
         * Sets the look-back window.
         *
         * @param lookback a non-negative duration
         * @return this builder
         */
        public Builder lookback(Duration lookback) {
            this.lookback = lookback;
            return this;
        }

        /**
         * Sets "update existing users only".
         *
         * @param updateExistingOnly the flag
         * @return this builder
         */
        public Builder updateExistingOnly(boolean updateExistingOnly) {
            this.updateExistingOnly = updateExistingOnly;
            return this;
        }

        /**
         * Sets the batch size.
         *
         * @param batchSize 1 to 10,000
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the row limit per run.
         *
         * @param rowLimit at least 1
         * @return this builder
         */
        public Builder rowLimit(long rowLimit) {
            this.rowLimit = rowLimit;
            return this;
        }

        /**
         * Sets the checkpoint interval.
         *
         * @param checkpointEvery rows between checkpoints, at least 1
         * @return this builder
         */
        public Builder checkpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        /**
         * Sets the fingerprint limit.
         *
         * @param fingerprintLimit at least 0
         * @return this builder
         */
        public Builder fingerprintLimit(int fingerprintLimit) {
            this.fingerprintLimit = fingerprintLimit;
            return this;
        }

        /**
         * Sets how many times a batch is tried.
         *
         * @param sinkAttempts 1 to 100
         * @return this builder
         */
        public Builder sinkAttempts(int sinkAttempts) {
            this.sinkAttempts = sinkAttempts;
            return this;
        }

        /**
         * Sets the first retry's back-off.
         *
         * @param sinkRetryBackoff a non-negative duration
         * @return this builder
         */
        public Builder sinkRetryBackoff(Duration sinkRetryBackoff) {
            this.sinkRetryBackoff = sinkRetryBackoff;
            return this;
        }

        /**
         * Sets how many row errors a result keeps in detail.
         *
         * @param rowErrorsKept 0 to 1,000,000
         * @return this builder
         */
        public Builder rowErrorsKept(int rowErrorsKept) {
            this.rowErrorsKept = rowErrorsKept;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @return the options
         * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} naming the invalid option
         */
        public SyncOptions build() {
            return new SyncOptions(settleLag, lookback, updateExistingOnly, batchSize, rowLimit, checkpointEvery,
                    fingerprintLimit, sinkAttempts, sinkRetryBackoff, rowErrorsKept);
        }
    }
}

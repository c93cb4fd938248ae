package dev.cdi.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceRow;
import dev.cdi.core.validation.RowValidator;
import dev.cdi.core.validation.RowVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RowPrefetcherTest {

    /** A stream of generated rows that can fail after a number of rows and records whether it was closed. */
    private static final class GeneratedStream implements RowStream {
        final long total;
        final long failAfter;
        final int payloadChars;
        final AtomicLong produced = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();

        GeneratedStream(long total, long failAfter, int payloadChars) {
            this.total = total;
            this.failAfter = failAfter;
            this.payloadChars = payloadChars;
        }

        @Override
        public boolean hasNext() {
            if (produced.get() == failAfter) {
                throw new CdiException(ErrorCode.CONNECTION_FAILED, "broken after " + failAfter);
            }
            return produced.get() < total;
        }

        @Override
        public SourceRow next() {
            long n = produced.getAndIncrement();
            return SourceRow.builder().updatedAt(Instant.ofEpochSecond(n)).value(Column.EXTERNAL_ID, "u" + n)
                    .value(Column.PAYLOAD, "x".repeat(payloadChars)).build();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static List<Long> drain(RowPrefetcher rows) {
        List<Long> seconds = new ArrayList<>();
        while (rows.hasNext()) {
            seconds.add(rows.next().updatedAt().orElseThrow().getEpochSecond());
        }
        return seconds;
    }

    @Test
    void deliversEveryRowInOrderAndClosesTheStream() {
        GeneratedStream stream = new GeneratedStream(10_000, -1, 10);
        try (RowPrefetcher rows = new RowPrefetcher("test", stream)) {
            List<Long> seconds = drain(rows);
            assertThat(seconds).hasSize(10_000).isSorted().doesNotHaveDuplicates();
            assertThat(rows.hasNext()).isFalse();
        }
        assertThat(stream.closed).isTrue();
    }

    @Test
    void validatesAheadOnWorkerThreadsAndHandsEachVerdictWithItsRowInOrder() {
        GeneratedStream stream = new GeneratedStream(10_000, -1, 10);
        RowValidator validator = RowValidator.of(DataType.ATTRIBUTES, false);
        Set<String> validatingThreads = ConcurrentHashMap.newKeySet();
        try (RowPrefetcher rows = new RowPrefetcher("validated", stream, row -> {
            validatingThreads.add(Thread.currentThread().getName());
            return validator.validate(row);
        })) {
            long count = 0;
            while (rows.hasNext()) {
                SourceRow row = rows.next();
                RowVerdict verdict = rows.verdict();
                // the generated payload is not JSON, so each verdict is the row's own INVALID_JSON error
                assertThat(verdict).isInstanceOfSatisfying(RowVerdict.Invalid.class, invalid -> assertThat(
                        invalid.error().identifier().orElseThrow().toString()).contains(row.value(Column.EXTERNAL_ID)
                        .orElseThrow()));
                count++;
            }
            assertThat(count).isEqualTo(10_000);
        }
        assertThat(validatingThreads).isNotEmpty().allMatch(name -> name.startsWith("cdi-validate-validated-"));
        awaitNoThreadNamed("cdi-validate-validated-");
    }

    @Test
    void aValidatorsFailureArrivesAfterTheRowsOfTheChunksBeforeIt() {
        GeneratedStream stream = new GeneratedStream(10_000, -1, 10);
        List<Long> seen = new ArrayList<>();
        try (RowPrefetcher rows = new RowPrefetcher("failing-validator", stream, row -> {
            if (row.updatedAt().orElseThrow().getEpochSecond() == 700) {
                throw new IllegalStateException("validator bug at row 700");
            }
            return RowValidator.of(DataType.ATTRIBUTES, false).validate(row);
        })) {
            assertThatThrownBy(() -> {
                while (rows.hasNext()) {
                    seen.add(rows.next().updatedAt().orElseThrow().getEpochSecond());
                }
            }).isInstanceOf(IllegalStateException.class).hasMessage("validator bug at row 700");
        }
        assertThat(seen).as("the chunks of 256 rows before the failing one").hasSize(512).isSorted();
    }

    @Test
    void aFailureArrivesAfterTheRowsReadBeforeIt() {
        GeneratedStream stream = new GeneratedStream(10_000, 1_000, 10);
        List<Long> seen = new ArrayList<>();
        try (RowPrefetcher rows = new RowPrefetcher("test", stream)) {
            assertThatThrownBy(() -> {
                while (rows.hasNext()) {
                    seen.add(rows.next().updatedAt().orElseThrow().getEpochSecond());
                }
            }).isInstanceOfSatisfying(CdiException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CONNECTION_FAILED));
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void readsOnlyABoundedDistanceAheadAndStopsWhenClosedEarly() throws Exception {
        GeneratedStream stream = new GeneratedStream(Long.MAX_VALUE, -1, 100_000);
        try (RowPrefetcher rows = new RowPrefetcher("bounded", stream)) {
            assertThat(rows.hasNext()).isTrue();
            awaitReaderWaitingForRoom("cdi-read-bounded");
            assertThat(stream.produced.get()).as("rows of 100,000 chars held ahead").isBetween(20L, 400L);
        }
        assertThat(stream.closed).isTrue();
    }

    /**
     * A stream whose first read blocks until it is cancelled (then throws, as a cancelled JDBC statement does), or
     * until its reading thread is interrupted, each only when told to honour it; otherwise until the test releases
     * it. Interrupts are ignored unless honoured, as most drivers do.
     */
    private static final class BlockingStream implements RowStream {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicInteger cancelCalls = new AtomicInteger();
        final CountDownLatch interruptSeen = new CountDownLatch(1);
        final boolean honoursCancel;
        final boolean honoursInterrupt;

        BlockingStream(boolean honoursCancel, boolean honoursInterrupt) {
            this.honoursCancel = honoursCancel;
            this.honoursInterrupt = honoursInterrupt;
        }

        @Override
        public boolean hasNext() {
            reading.countDown();
            while (true) {
                try {
                    if (honoursCancel) {
                        cancelled.await();
                        throw new CdiException(ErrorCode.QUERY_TIMEOUT, "the read was cancelled");
                    }
                    released.await();
                    return false;
                } catch (InterruptedException e) {
                    interruptSeen.countDown();
                    if (honoursInterrupt) {
                        Thread.currentThread().interrupt();
                        throw new CdiException(ErrorCode.QUERY_FAILED, "the read was interrupted", e);
                    }
                }
            }
        }

        @Override
        public SourceRow next() {
            throw new AssertionError("hasNext() never answers true");
        }

        @Override
        public void cancel() {
            cancelCalls.incrementAndGet();
            cancelled.countDown();
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void closingCancelsABlockedReadAndReturnsOnlyAfterTheStreamIsClosed() throws Exception {
        BlockingStream stream = new BlockingStream(true, false);
        RowPrefetcher rows = new RowPrefetcher("blocked", stream);
        assertThat(stream.reading.await(30, TimeUnit.SECONDS)).as("the reader is in hasNext()").isTrue();

        rows.close();

        assertThat(stream.cancelCalls.get()).as("cancel() called").isPositive();
        assertThat(stream.closed.getCount()).as("the stream was closed before close() returned").isZero();
        assertThat(stream.interruptSeen.getCount()).as("cancelling was enough").isOne();
        assertThat(readerThread("cdi-read-blocked")).as("the reader thread ended").isNull();
    }

    @Test
    void closingInterruptsAReaderThatIgnoresCancel() throws Exception {
        BlockingStream stream = new BlockingStream(false, true);
        RowPrefetcher rows = new RowPrefetcher("interruptible", stream, Duration.ofMillis(50), Duration.ofSeconds(30));
        assertThat(stream.reading.await(30, TimeUnit.SECONDS)).as("the reader is in hasNext()").isTrue();

        rows.close();

        assertThat(stream.cancelCalls.get()).isPositive();
        assertThat(stream.interruptSeen.getCount()).as("interrupted").isZero();
        assertThat(stream.closed.getCount()).as("the stream was closed before close() returned").isZero();
    }

    @Test
    void aReaderThatIgnoresCancelAndInterruptIsLeftToCloseTheStream() throws Exception {
        BlockingStream stream = new BlockingStream(false, false);
        RowPrefetcher rows = new RowPrefetcher("stuck", stream, Duration.ofMillis(50), Duration.ofMillis(50));
        assertThat(stream.reading.await(30, TimeUnit.SECONDS)).as("the reader is in hasNext()").isTrue();

        rows.close();

        assertThat(stream.cancelCalls.get()).isPositive();
        assertThat(stream.closed.getCount()).as("not closed under the blocked read").isOne();
        assertThat(stream.interruptSeen.await(30, TimeUnit.SECONDS)).as("interrupted").isTrue();
        stream.released.countDown();
        assertThat(stream.closed.await(30, TimeUnit.SECONDS)).as("closed by the reader once its read returned")
                .isTrue();
    }

    @Test
    void closingWhileInterruptedStillWaitsForTheReaderAndKeepsTheInterrupt() throws Exception {
        BlockingStream stream = new BlockingStream(true, false);
        RowPrefetcher rows = new RowPrefetcher("interrupted", stream);
        assertThat(stream.reading.await(30, TimeUnit.SECONDS)).as("the reader is in hasNext()").isTrue();

        Thread.currentThread().interrupt();
        try {
            rows.close();
        } finally {
            assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
        }

        assertThat(stream.closed.getCount()).as("the stream was closed before close() returned").isZero();
    }

    private static void awaitNoThreadNamed(String prefix) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().startsWith(prefix))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads named " + prefix + "* still run 30 s after close");
            }
            Thread.onSpinWait();
        }
    }

    private static Thread readerThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(name))
                .findFirst().orElse(null);
    }

    /** Polls, with a generous deadline, until the reader waits for the consumer to make room. */
    private static void awaitReaderWaitingForRoom(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Thread reader = readerThread(name);
            if (reader != null && reader.getState() == Thread.State.WAITING && Arrays.stream(reader.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().equals(RowPrefetcher.class.getName())
                            && frame.getMethodName().equals("hand"))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the reader did not come to wait for room within 30 s");
    }
}

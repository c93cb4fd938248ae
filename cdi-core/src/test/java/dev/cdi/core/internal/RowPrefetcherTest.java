package dev.cdi.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
        try (RowPrefetcher rows = new RowPrefetcher("test", stream)) {
            assertThat(rows.hasNext()).isTrue();
            Thread.sleep(300);
            assertThat(stream.produced.get()).as("rows of 100,000 chars held ahead").isLessThan(400);
        }
        assertThat(stream.closed).isTrue();
    }
}

package dev.cdi.testkit;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunContext;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Wraps the real DuckDB connector with the warehouse's faults and its settable clock. */
final class FaultInjectingConnector implements SourceConnector {
    private final SourceConnector delegate;
    private final Faults faults;
    private final Consumer<String> queryTags;
    private final Supplier<Instant> clock;

    FaultInjectingConnector(SourceConnector delegate, Faults faults, Consumer<String> queryTags,
            Supplier<Instant> clock) {
        this.delegate = delegate;
        this.faults = faults;
        this.queryTags = queryTags;
        this.clock = clock;
    }

    @Override
    public Instant currentTime() {
        faults.beforeQuery("the current time");
        return clock.get();
    }

    @Override
    public TableSchema describe(TableName table) {
        faults.beforeQuery("describing " + table);
        return delegate.describe(table);
    }

    @Override
    public long count(TableName table, TableSchema schema, RowFilter filter) {
        faults.beforeQuery("counting " + table);
        return delegate.count(table, schema, filter);
    }

    @Override
    public RowStream read(ReadRequest request) {
        faults.beforeQuery("reading " + request.table());
        RowStream rows = delegate.read(request);
        OptionalLong failAfter = faults.failAfterRows();
        return failAfter.isPresent() ? new BreakingStream(rows, failAfter.getAsLong()) : rows;
    }

    @Override
    public Instant currentTime(RunContext run) {
        queryTags.accept(run.label());
        return currentTime();
    }

    @Override
    public TableSchema describe(TableName table, RunContext run) {
        queryTags.accept(run.label());
        return describe(table);
    }

    @Override
    public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters, RunContext run) {
        queryTags.accept(run.label());
        return countEach(table, schema, filters);
    }

    @Override
    public RowStream read(ReadRequest request, RunContext run) {
        queryTags.accept(run.label());
        return read(request);
    }

    @Override
    public boolean isHealthy() {
        return delegate.isHealthy();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** A stream whose connection breaks after a number of rows. */
    private static final class BreakingStream implements RowStream {
        private final RowStream rows;
        private final long limit;
        private long delivered;

        BreakingStream(RowStream rows, long limit) {
            this.rows = rows;
            this.limit = limit;
        }

        @Override
        public boolean hasNext() {
            if (delivered >= limit && rows.hasNext()) {
                throw new CdiException(ErrorCode.CONNECTION_FAILED,
                        "Connection reset after " + delivered + " rows (injected by the fake warehouse)");
            }
            return rows.hasNext();
        }

        @Override
        public SourceRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            delivered++;
            return rows.next();
        }

        @Override
        public void cancel() {
            rows.cancel();
        }

        @Override
        public void close() {
            rows.close();
        }
    }
}

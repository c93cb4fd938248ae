package dev.cdi.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An open connection to one warehouse: the SPI every source implements (see {@link SourceConnectorProvider}
 * for how connectors are found).
 *
 * <p>Implementations must be thread-safe: a connector may serve several runs at once, each on its own pooled
 * connection; an engine keeps one connector per connector name and settings open across runs and
 * integrations. Every method may throw {@link CdiException} with the {@link ErrorCategory} of the failure
 * (connectivity, authentication, permissions, table not found, ...), keeping the driver's original error as
 * the cause. Values are always bound as parameters, never spliced into SQL; table names are quoted by the
 * connector's dialect.
 */
public interface SourceConnector extends AutoCloseable {

    /**
     * The warehouse's current time: the upper bound of a run comes from the warehouse's clock, not the JVM's,
     * so skew between the two never loses rows. Called once per run.
     *
     * @return the warehouse's current instant
     */
    Instant currentTime();

    /**
     * {@link #currentTime()} for a run, so that the query can carry the run's tag. The default ignores the
     * context.
     *
     * @param run the run this call serves
     * @return the warehouse's current instant
     */
    default Instant currentTime(RunContext run) {
        return currentTime();
    }

    /**
     * The columns of the table that CDI recognises, with their source types. Called once per run, before any
     * row is read.
     *
     * @param table the table or view
     * @return its schema
     * @throws CdiException {@link ErrorCode#TABLE_NOT_FOUND} when it does not exist; {@link ErrorCode#INVALID_COLUMN_TYPE}
     *         when {@code UPDATED_AT} or {@code PAYLOAD} has a type this connector cannot read
     */
    TableSchema describe(TableName table);

    /**
     * {@link #describe(TableName)} for a run, so that the query can carry the run's tag. The default ignores the
     * context.
     *
     * @param table the table or view
     * @param run the run this call serves
     * @return its schema
     */
    default TableSchema describe(TableName table, RunContext run) {
        return describe(table);
    }

    /**
     * Counts the rows that match a filter.
     *
     * @param table the table or view
     * @param schema its schema, from {@link #describe}
     * @param filter which rows
     * @return the count
     */
    long count(TableName table, TableSchema schema, RowFilter filter);

    /**
     * Counts the rows that match each of several filters, in one query where the warehouse allows: a run needs
     * three counts before it reads, and on a cloud warehouse each query has a latency of its own. The default
     * counts each filter with {@link #count}.
     *
     * @param table the table or view
     * @param schema its schema, from {@link #describe}
     * @param filters which rows, one count per filter
     * @return the counts, in the order of {@code filters}
     */
    default List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters) {
        List<Long> counts = new ArrayList<>(filters.size());
        for (RowFilter filter : filters) {
            counts.add(count(table, schema, filter));
        }
        return List.copyOf(counts);
    }

    /**
     * {@link #countEach(TableName, TableSchema, List)} for a run, so that the query can carry the run's tag. The
     * default ignores the context.
     *
     * @param table the table or view
     * @param schema its schema, from {@link #describe}
     * @param filters which rows, one count per filter
     * @param run the run this call serves
     * @return the counts, in the order of {@code filters}
     */
    default List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters, RunContext run) {
        return countEach(table, schema, filters);
    }

    /**
     * Streams the rows that match a filter in ascending {@code UPDATED_AT} order, holding a bounded number of
     * rows in memory whatever the table's size.
     *
     * @param request what to read
     * @return the open stream, which the caller closes
     */
    RowStream read(ReadRequest request);

    /**
     * {@link #read(ReadRequest)} for a run, so that the query can carry the run's tag. The default ignores the
     * context.
     *
     * @param request what to read
     * @param run the run this call serves
     * @return the open stream, which the caller closes
     */
    default RowStream read(ReadRequest request, RunContext run) {
        return read(request);
    }

    /**
     * A one-line report of what a read costs on this warehouse, for a connection test to show before any run: such as
     * the bytes a query would scan, and whether the table is partitioned so that later runs scan less. Reads no rows.
     * The default reports nothing.
     *
     * @param request the read a first run would make
     * @param run the connection test's context
     * @return the report, or empty when the warehouse has nothing to say
     */
    default Optional<String> costReport(ReadRequest request, RunContext run) {
        return Optional.empty();
    }

    /**
     * Whether the connector can still serve runs. An engine keeps a connector open across runs and asks this before
     * each run it hands the connector to: false when the connector can no longer serve runs (its pool or tunnel is
     * closed or broken); the engine then closes it and opens a new one. Called once per run, possibly while other
     * runs use the connector, so it must be cheap and must not connect; it is no substitute for the failures the
     * other methods report. The default says true.
     *
     * @return false when the connector must be replaced
     */
    default boolean isHealthy() {
        return true;
    }

    /**
     * Closes the connection pool and anything else the connector holds (tunnels, clients). Called once, when no run
     * uses the connector any more: an engine keeps a connector open across runs and closes it after an idle period,
     * after a connectivity or authentication failure, or when the engine closes.
     */
    @Override
    void close();
}

package dev.cdi.bench;

import dev.cdi.api.RunResult;
import dev.cdi.api.SyncOptions;
import java.nio.file.Path;

/** One source the headline benchmark measures: a raw JDBC scan and a full sync of the same table. */
interface BenchSource extends AutoCloseable {

    /** The name used in the report and the RESULT line. */
    String name();

    /** Creates the benchmark table with this many rows, replacing any earlier one. */
    void load(long rows) throws Exception;

    /**
     * Reads every row with a plain JDBC query of the same columns, filter and order as the connector's, with the same
     * driver and fetch settings, touching every value and doing nothing else.
     *
     * @return the rows read
     */
    long rawScan() throws Exception;

    /**
     * Reads every row through the connector alone (no pipeline), touching every value; see {@link ConnectorScan}.
     *
     * @return the rows read
     */
    long connectorRead() throws Exception;

    /**
     * Syncs the whole table with the real pipeline into a sink that accepts everything, state in the directory.
     *
     * @param stateDirectory where the file state store keeps the watermark
     * @param options the sync options (the checkpoint interval matters: each checkpoint is a forced file write)
     * @return the run's result
     */
    RunResult sync(Path stateDirectory, SyncOptions options);

    @Override
    void close() throws Exception;
}

package dev.cdi.core;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunContext;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SyncError;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableSchema;
import dev.cdi.core.internal.SchemaRules;
import dev.cdi.core.validation.RowValidator;
import dev.cdi.core.validation.RowVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Tests an integration before it goes live (SPEC section 9): connects, checks that the table exists and is
 * readable, checks the columns its data type needs and their types (and that a delete table has no
 * {@code PAYLOAD}), and previews the first rows with the verdict validation gives each. Reads no more than the
 * preview and changes nothing: no watermark, no sink.
 *
 * <p>Thread-safe.
 */
public final class ConnectionTester {
    /** The run id in the query tags of a connection test, which records no run. */
    private static final String TEST_RUN_ID = "connection-test";
    /** How many rows a preview shows unless told otherwise. */
    public static final int DEFAULT_PREVIEW_ROWS = 10;

    private final ConnectorRegistry connectors;

    /**
     * A tester that opens connectors by name.
     *
     * @param connectors the connectors
     */
    public ConnectionTester(ConnectorRegistry connectors) {
        this.connectors = requireNonNull(connectors, "connectors is null");
    }

    /**
     * Tests an integration, opening its connector by name and closing it afterwards.
     *
     * @param spec the integration
     * @return the result; never throws for a failure of the warehouse or the configuration
     */
    public ConnectionTestResult test(SyncSpec spec) {
        requireNonNull(spec, "spec is null");
        SourceConnector connector;
        try {
            connector = connectors.provider(spec.connector()).open(spec.connectorSettings());
        } catch (CdiException failure) {
            return failed(failure);
        }
        try (SourceConnector open = connector) {
            return test(spec, open, DEFAULT_PREVIEW_ROWS);
        }
    }

    /**
     * Tests an integration on a connector the caller opened (and closes).
     *
     * @param spec the integration
     * @param connector an open connector to its warehouse
     * @param previewRows how many rows to preview, 0 or more
     * @return the result; never throws for a failure of the warehouse or the configuration
     */
    public ConnectionTestResult test(SyncSpec spec, SourceConnector connector, int previewRows) {
        requireNonNull(spec, "spec is null");
        requireNonNull(connector, "connector is null");
        if (previewRows < 0) {
            throw new IllegalArgumentException("previewRows is negative");
        }
        try {
            RunContext run = new RunContext(spec.integration(), TEST_RUN_ID);
            Instant now = connector.currentTime(run);
            TableSchema schema = connector.describe(spec.table(), run);
            SchemaRules.check(spec.table(), spec.dataType(), schema);
            RowValidator validator = RowValidator.of(spec.dataType(), spec.options().updateExistingOnly());
            List<RowVerdict> preview = new ArrayList<>(previewRows);
            if (previewRows > 0) {
                ReadRequest firstRows = new ReadRequest(spec.table(), schema,
                        new RowFilter.Range(Optional.empty(), true, Optional.empty(), true), OptionalLong.of(previewRows));
                try (RowStream rows = connector.read(firstRows, run)) {
                    while (rows.hasNext()) {
                        preview.add(validator.validate(rows.next()));
                    }
                }
            }
            Optional<String> cost = connector.costReport(new ReadRequest(spec.table(), schema,
                    new RowFilter.Range(Optional.empty(), true, Optional.empty(), true), OptionalLong.empty()), run);
            return new ConnectionTestResult.Passed(now, schema, preview, cost);
        } catch (CdiException failure) {
            return failed(failure);
        }
    }

    private static ConnectionTestResult failed(CdiException failure) {
        return new ConnectionTestResult.Failed(SyncError.of(failure), ErrorAdvice.forCategory(failure.category()));
    }
}

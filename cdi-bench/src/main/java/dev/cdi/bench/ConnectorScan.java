package dev.cdi.bench;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.core.ConnectorRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The connector's read alone, without the pipeline: opens the connector as an engine does, describes the table and
 * streams every row of the sync's range, touching every value as the raw scan does and doing nothing else.
 */
final class ConnectorScan {
    private static final Column[] TEXT_COLUMNS = {Column.EXTERNAL_ID, Column.ALIAS_NAME, Column.ALIAS_LABEL,
        Column.EMAIL, Column.PHONE, Column.PAYLOAD};

    private ConnectorScan() {
    }

    /**
     * Reads every row.
     *
     * @param connectorName the provider's name
     * @param settings the connection settings
     * @param table the table
     * @return the rows read
     */
    static long readAll(String connectorName, ConnectorSettings settings, String table) {
        TableName name = TableName.parse(table);
        try (SourceConnector connector = ConnectorRegistry.discover().provider(connectorName).open(settings)) {
            TableSchema schema = connector.describe(name);
            long rows = 0;
            long touched = 0;
            ReadRequest request = new ReadRequest(name, schema,
                    RowFilter.between(Optional.empty(), Instant.parse("2999-01-01T00:00:00Z")), OptionalLong.empty());
            try (RowStream stream = connector.read(request)) {
                while (stream.hasNext()) {
                    SourceRow row = stream.next();
                    touched += row.updatedAt().orElseThrow().getNano() & 1;
                    for (Column column : TEXT_COLUMNS) {
                        touched += row.value(column).map(String::length).orElse(0);
                    }
                    rows++;
                }
            }
            Blackhole.consume(touched);
            return rows;
        }
    }
}

package dev.cdi.bigquery;

import static java.util.Objects.requireNonNull;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.ReadRequest;
import dev.cdi.api.RowFilter;
import dev.cdi.api.RowStream;
import dev.cdi.api.RunContext;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SourceRow;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.sql.MappedColumn;
import dev.cdi.sql.SourceColumn;
import dev.cdi.sql.SqlParameter;
import dev.cdi.sql.SqlQuery;
import dev.cdi.sql.SqlQueryBuilder;
import dev.cdi.sql.SqlTable;
import dev.cdi.sql.UtcTimestamps;
import dev.cdi.sql.ValueForm;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link SourceConnector} over Google's BigQuery client: the binding of the shared SQL layer for a client that is
 * not JDBC. {@link SqlTable} maps the columns from the table's metadata, {@link SqlQueryBuilder} builds every query,
 * and each typed parameter becomes a named query parameter ({@code TIMESTAMP} in microseconds, or {@code DATETIME}).
 * Results are paged by the client, so a read holds one page whatever the table's size. Each run's jobs carry the
 * labels {@code cdi_integration} and {@code cdi_run}.
 *
 * <p>Thread-safe: the client is.
 */
final class BigQuerySourceConnector implements SourceConnector {

    private final BigQuery client;
    private final BigQuerySettings settings;
    private final BigQueryDialect dialect;
    private final SqlQueryBuilder queries;

    BigQuerySourceConnector(BigQuery client, BigQuerySettings settings) {
        this.client = requireNonNull(client, "client is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.dialect = new BigQueryDialect(settings.project());
        this.queries = new SqlQueryBuilder(dialect);
    }

    @Override
    public Instant currentTime() {
        return currentTime(Optional.empty());
    }

    @Override
    public Instant currentTime(RunContext run) {
        return currentTime(Optional.of(run));
    }

    private Instant currentTime(Optional<RunContext> run) {
        String context = "Reading the warehouse's current time";
        TableResult result = query(new SqlQuery(dialect.currentTimeQuery().sql(), List.of()), run, context);
        Iterator<FieldValueList> rows = result.getValues().iterator();
        FieldValue now = rows.hasNext() ? rows.next().get(0) : null;
        if (now == null || now.isNull()) {
            throw new CdiException(ErrorCode.QUERY_FAILED, context + " (bigquery): no time returned");
        }
        return UtcTimestamps.fromEpoch(now.getLongValue(), ChronoUnit.MICROS);
    }

    @Override
    public TableSchema describe(TableName table) {
        return describe(table, Optional.empty());
    }

    @Override
    public TableSchema describe(TableName table, RunContext run) {
        return describe(table, Optional.of(run));
    }

    private TableSchema describe(TableName table, Optional<RunContext> run) {
        requireNonNull(table, "table is null");
        String context = "Describing table " + table;
        Table found;
        try {
            found = client.getTable(tableId(table));
        } catch (BigQueryException e) {
            throw BigQueryErrors.toCdiException(e, context);
        }
        if (found == null || found.getDefinition() == null || found.getDefinition().getSchema() == null) {
            throw new CdiException(ErrorCode.TABLE_NOT_FOUND, context + " (bigquery): table " + tableId(table)
                    + " was not found, or the service account may not see it; grant it BigQuery Data Viewer on the"
                    + " dataset");
        }
        List<SourceColumn> columns = new ArrayList<>();
        for (Field field : found.getDefinition().getSchema().getFields()) {
            columns.add(new SourceColumn(field.getName(), field.getType().getStandardType().name()));
        }
        return SqlTable.describe(dialect, table, columns).schema();
    }

    @Override
    public long count(TableName table, TableSchema schema, RowFilter filter) {
        return countEach(table, schema, List.of(filter), Optional.empty()).get(0);
    }

    @Override
    public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters) {
        return countEach(table, schema, filters, Optional.empty());
    }

    @Override
    public List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters, RunContext run) {
        return countEach(table, schema, filters, Optional.of(run));
    }

    private List<Long> countEach(TableName table, TableSchema schema, List<RowFilter> filters,
            Optional<RunContext> run) {
        requireNonNull(filters, "filters is null");
        if (filters.isEmpty()) {
            return List.of();
        }
        String context = "Counting rows of table " + table;
        TableResult result = query(queries.countEach(SqlTable.of(dialect, table, schema), filters), run, context);
        Iterator<FieldValueList> rows = result.getValues().iterator();
        if (!rows.hasNext()) {
            throw new CdiException(ErrorCode.QUERY_FAILED, context + " (bigquery): no row returned");
        }
        FieldValueList row = rows.next();
        List<Long> counts = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++) {
            // SUM over no rows is NULL.
            counts.add(row.get(i).isNull() ? 0L : row.get(i).getLongValue());
        }
        return List.copyOf(counts);
    }

    @Override
    public RowStream read(ReadRequest request) {
        return read(request, Optional.empty());
    }

    @Override
    public RowStream read(ReadRequest request, RunContext run) {
        return read(request, Optional.of(run));
    }

    private RowStream read(ReadRequest request, Optional<RunContext> run) {
        requireNonNull(request, "request is null");
        SqlTable table = SqlTable.of(dialect, request.table(), request.schema());
        String context = "Reading table " + request.table();
        TableResult result = query(queries.select(table, request.filter(), request.limit()), run, context);
        return new BigQueryRowStream(table, result.iterateAll().iterator(), context);
    }

    /**
     * A dry run of the read (BigQuery plans it and reports the bytes it would scan, billing nothing), with what the
     * table's partitioning and clustering mean for later runs.
     */
    @Override
    public Optional<String> costReport(ReadRequest request, RunContext run) {
        String context = "Estimating the cost of reading table " + request.table();
        SqlTable table = SqlTable.of(dialect, request.table(), request.schema());
        QueryJobConfiguration dryRun = configuration(queries.select(table, request.filter(), request.limit()),
                Optional.of(run)).toBuilder().setDryRun(true).build();
        long bytes;
        StandardTableDefinition definition;
        try {
            Job job = client.create(JobInfo.of(JobId.newBuilder().setProject(settings.billingProject())
                    .setLocation(settings.location()).build(), dryRun));
            JobStatistics.QueryStatistics statistics = job.getStatistics();
            bytes = Optional.ofNullable(statistics.getTotalBytesProcessed()).orElse(0L);
            Table found = client.getTable(tableId(request.table()));
            definition = found == null ? null : found.getDefinition() instanceof StandardTableDefinition standard
                    ? standard : null;
        } catch (BigQueryException e) {
            throw BigQueryErrors.toCdiException(e, context);
        }
        String updatedAt = request.schema().nameOf(Column.UPDATED_AT).orElse("UPDATED_AT");
        boolean partitioned = definition != null && definition.getTimePartitioning() != null
                && updatedAt.equalsIgnoreCase(definition.getTimePartitioning().getField());
        boolean clustered = definition != null && definition.getClustering() != null
                && definition.getClustering().getFields() != null && !definition.getClustering().getFields().isEmpty()
                && updatedAt.equalsIgnoreCase(definition.getClustering().getFields().get(0));
        String scanned = "a first run scans " + bytesText(bytes) + " (dry run)";
        if (partitioned || clustered) {
            return Optional.of(scanned + "; the table is " + (partitioned ? "partitioned" : "clustered") + " on "
                    + updatedAt + ", so later runs scan only the new rows' " + (partitioned ? "partitions" : "blocks"));
        }
        return Optional.of(scanned + "; the table is neither partitioned nor clustered on " + updatedAt
                + ", so every run scans that much again: partition it with PARTITION BY DATE(" + updatedAt + ")"
                + settings.maximumBytesBilled().map(cap -> "; maximumBytesBilled caps a run at " + bytesText(cap))
                        .orElse(""));
    }

    private static String bytesText(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private QueryJobConfiguration configuration(SqlQuery query, Optional<RunContext> run) {
        QueryJobConfiguration.Builder job = QueryJobConfiguration.newBuilder(query.sql()).setUseLegacySql(false);
        for (int i = 0; i < query.parameters().size(); i++) {
            job.addNamedParameter(BigQueryDialect.parameterName(i), parameter(query.parameters().get(i)));
        }
        settings.maximumBytesBilled().ifPresent(job::setMaximumBytesBilled);
        settings.queryTimeout().ifPresent(timeout -> job.setJobTimeoutMs(timeout.toMillis()));
        run.ifPresent(forRun -> job.setLabels(labels(forRun)));
        return job.build();
    }

    private TableResult query(SqlQuery query, Optional<RunContext> run, String context) {
        try {
            return client.query(configuration(query, run), JobId.newBuilder().setProject(settings.billingProject())
                    .setLocation(settings.location()).setJob("cdi_" + UUID.randomUUID()).build());
        } catch (BigQueryException e) {
            throw BigQueryErrors.toCdiException(e, context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdiException(ErrorCode.QUERY_FAILED, context + " (bigquery): interrupted", e);
        }
    }

    private static QueryParameterValue parameter(SqlParameter parameter) {
        if (parameter instanceof SqlParameter.Timestamp timestamp) {
            if (timestamp.comparison().zoned()) {
                Instant value = timestamp.value();
                return QueryParameterValue.timestamp(
                        Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000));
            }
            return QueryParameterValue.dateTime(UtcTimestamps.format(timestamp.value(), ChronoUnit.MICROS));
        }
        throw new IllegalArgumentException("unknown parameter " + parameter);
    }

    /** Job labels: lower-case letters, digits, {@code _} and {@code -}, at most 63 characters. */
    private static Map<String, String> labels(RunContext run) {
        Map<String, String> labels = new HashMap<>();
        labels.put("cdi_integration", labelValue(run.integrationName()));
        labels.put("cdi_run", labelValue(run.runId()));
        return labels;
    }

    private static String labelValue(String text) {
        StringBuilder value = new StringBuilder(Math.min(text.length(), 63));
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (value.length() == 63) {
                break;
            }
            value.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
        }
        return value.toString();
    }

    private TableId tableId(TableName table) {
        return TableId.of(table.database().orElse(settings.project()), table.schema(), table.table());
    }

    @Override
    public void close() {
        // The client holds no connection of its own to close: its HTTP transport is shared and reused.
    }

    @Override
    public String toString() {
        return "BigQuerySourceConnector[" + settings.project() + ", " + settings.location() + "]";
    }

    /** The rows of a paged result, read in the forms the table's mappings name. Not thread-safe: one consumer. */
    private static final class BigQueryRowStream implements RowStream {
        private final MappedColumn[] columns;
        private final Iterator<FieldValueList> rows;
        private final String context;

        BigQueryRowStream(SqlTable table, Iterator<FieldValueList> rows, String context) {
            this.columns = table.columns().toArray(new MappedColumn[0]);
            this.rows = rows;
            this.context = context;
        }

        @Override
        public boolean hasNext() {
            try {
                return rows.hasNext();
            } catch (BigQueryException e) {
                throw BigQueryErrors.toCdiException(e, context);
            }
        }

        @Override
        public SourceRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more rows");
            }
            FieldValueList values = rows.next();
            SourceRow.Builder row = SourceRow.builder();
            for (int i = 0; i < columns.length; i++) {
                FieldValue value = values.get(i);
                if (value.isNull()) {
                    continue;
                }
                ValueForm form = columns[i].mapping().readAs();
                switch (form) {
                    case EPOCH_MICROS -> row.updatedAt(UtcTimestamps.fromEpoch(value.getLongValue(), ChronoUnit.MICROS));
                    case TEXT -> row.value(columns[i].column(), value.getStringValue());
                    case BOOLEAN -> row.value(columns[i].column(), value.getBooleanValue() ? "true" : "false");
                    case EPOCH_SECONDS, EPOCH_MILLIS, EPOCH_NANOS, UTC_TEXT, OFFSET_DATE_TIME, LOCAL_DATE_TIME ->
                            throw new IllegalStateException("the BigQuery dialect does not select " + form);
                }
            }
            return row.build();
        }

        @Override
        public void close() {
            // Pages are fetched on demand; an unread rest is simply not fetched.
        }
    }
}

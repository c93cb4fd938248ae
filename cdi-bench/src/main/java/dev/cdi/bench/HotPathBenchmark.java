package dev.cdi.bench;

import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.SourceRow;
import dev.cdi.core.validation.RowValidator;
import dev.cdi.core.validation.RowVerdict;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline's per-row hot path: validation and resolution of one source row, per data type, for payloads of
 * about 200 bytes and 4 KB. One operation is one row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {
    private static final int ROWS = 1024;

    /** The data type whose rules apply. */
    @Param({"ATTRIBUTES", "EVENTS", "PURCHASES", "CATALOG", "USER_DELETES"})
    public String dataType;

    /** The payload's approximate size in bytes. */
    @Param({"200", "4096"})
    public int payloadBytes;

    private RowValidator validator;
    private SourceRow[] rows;
    private int next;

    /** Builds the rows and the validator. */
    @Setup
    public void setUp() {
        DataType type = DataType.valueOf(dataType);
        validator = RowValidator.of(type, false);
        rows = new SourceRow[ROWS];
        for (int i = 0; i < ROWS; i++) {
            SourceRow.Builder row = SourceRow.builder().updatedAt(Instant.ofEpochSecond(1_767_225_600L + i / 4, i * 1000L));
            if (type == DataType.CATALOG) {
                row.value(Column.ID, "item-" + i).value(Column.DELETED, "false");
            } else if (i % 10 == 9 && type != DataType.USER_DELETES) {
                row.value(Column.EMAIL, "user" + i + "@Example.com");
            } else {
                row.value(Column.EXTERNAL_ID, "user-" + i);
            }
            if (type.hasPayload()) {
                row.value(Column.PAYLOAD, payload(type, i));
            }
            rows[i] = row.build();
        }
    }

    private String payload(DataType type, int i) {
        StringBuilder json = new StringBuilder("{");
        switch (type) {
            case EVENTS -> json.append("\"name\":\"viewed_item\",\"properties\":{\"item\":\"sku-").append(i).append("\"");
            case PURCHASES -> json.append("\"product_id\":\"sku-").append(i)
                    .append("\",\"currency\":\"USD\",\"price\":19.99,\"quantity\":2,\"properties\":{\"source\":\"web\"");
            case ATTRIBUTES, CATALOG, USER_DELETES -> json.append("\"first_name\":\"Name").append(i)
                    .append("\",\"plan\":\"gold\",\"address\":{\"city\":\"City").append(i % 500).append("\"");
        }
        json.append(",\"n\":").append(i).append("}");
        int filler = 0;
        while (json.length() < payloadBytes - 20) {
            json.append(",\"f").append(filler++).append("\":\"").append("abcdefghij").append("\"");
        }
        return json.append(",\"active\":true}").toString();
    }

    /**
     * Validates and resolves one row.
     *
     * @return the verdict, so the work is not dropped
     */
    @Benchmark
    public RowVerdict validateAndResolve() {
        RowVerdict verdict = validator.validate(rows[next]);
        next = (next + 1) & (ROWS - 1);
        return verdict;
    }
}

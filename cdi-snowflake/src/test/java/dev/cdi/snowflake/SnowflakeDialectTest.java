package dev.cdi.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.RunContext;
import dev.cdi.api.TableName;
import dev.cdi.sql.ColumnMapping;
import dev.cdi.sql.SourceType;
import dev.cdi.sql.TimestampComparison;
import dev.cdi.sql.ValueForm;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnowflakeDialectTest {
    private final SnowflakeDialect dialect = new SnowflakeDialect("CDI_USER", Optional.of("CDI_ROLE"), Optional.of("CDI_WH"));

    @Test
    void unquotedTableNamePartsResolveUpperCaseAndQuotedOnesKeepTheirCase() {
        assertThat(dialect.qualifiedTableName(TableName.parse("analytics.public.users")))
                .isEqualTo("\"ANALYTICS\".\"PUBLIC\".\"USERS\"");
        assertThat(dialect.qualifiedTableName(TableName.parse("ANALYTICS.\"Mixed\".\"users\"")))
                .isEqualTo("\"ANALYTICS\".\"Mixed\".\"users\"");
        assertThat(dialect.qualifiedTableName(TableName.parse("analytics.public.\"we\"\"ird\"")))
                .isEqualTo("\"ANALYTICS\".\"PUBLIC\".\"we\"\"ird\"");
        // not a valid unquoted name, so only a quoted one can be meant: taken as written
        assertThat(dialect.qualifiedTableName(TableName.parse("analytics.public.user-events")))
                .isEqualTo("\"ANALYTICS\".\"PUBLIC\".\"user-events\"");
        assertThat(dialect.quoteIdentifier("updated_at")).as("columns as described").isEqualTo("\"updated_at\"");
    }

    @Test
    void timestampsAreSelectedAsEpochNanosecondsAndComparedWithTheirOwnKind() {
        ColumnMapping ntz = dialect.updatedAtMapping(SourceType.of("TIMESTAMP_NTZ(9)")).orElseThrow();
        assertThat(ntz.select().render("\"UPDATED_AT\"")).isEqualTo("DATE_PART(EPOCH_NANOSECOND, \"UPDATED_AT\")");
        assertThat(ntz.readAs()).isEqualTo(ValueForm.EPOCH_NANOS);
        assertThat(ntz.comparison()).contains(new TimestampComparison(ChronoUnit.NANOS, false, "TIMESTAMP_NTZ(9)"));
        for (String zoned : new String[] {"TIMESTAMP_LTZ", "TIMESTAMP_TZ(3)", "TIMESTAMPLTZ", "TIMESTAMPTZ"}) {
            assertThat(dialect.updatedAtMapping(SourceType.of(zoned)).orElseThrow().comparison()).as(zoned)
                    .contains(new TimestampComparison(ChronoUnit.NANOS, true, "TIMESTAMP_TZ(9)"));
        }
        assertThat(dialect.updatedAtMapping(SourceType.of("DATE"))).isEmpty();
        assertThat(dialect.updatedAtMapping(SourceType.of("VARCHAR"))).isEmpty();
    }

    @Test
    void variantAndObjectPayloadsBecomeJsonTextInSql() {
        assertThat(dialect.payloadMapping(SourceType.of("VARIANT")).orElseThrow().select().render("\"PAYLOAD\""))
                .isEqualTo("TO_JSON(\"PAYLOAD\")");
        assertThat(dialect.payloadMapping(SourceType.of("OBJECT")).orElseThrow().select().render("\"P\""))
                .isEqualTo("TO_JSON(\"P\")");
        assertThat(dialect.payloadMapping(SourceType.of("VARCHAR(16777216)")).orElseThrow().select().render("\"P\""))
                .isEqualTo("\"P\"");
        assertThat(dialect.payloadMapping(SourceType.of("ARRAY"))).isEmpty();
        assertThat(dialect.payloadMapping(SourceType.of("NUMBER(38,0)"))).isEmpty();
    }

    @Test
    void theClockIsSysdateInUtcAndEachRunIsTagged() {
        assertThat(dialect.currentTimeQuery().sql()).isEqualTo("SELECT DATE_PART(EPOCH_NANOSECOND, SYSDATE())");
        assertThat(dialect.currentTimeQuery().readAs()).isEqualTo(ValueForm.EPOCH_NANOS);
        assertThat(dialect.tagStatements(new RunContext("orders", "r-1")))
                .containsExactly("ALTER SESSION SET QUERY_TAG = 'cdi:orders:r-1'");
        assertThat(dialect.tagStatements(new RunContext("o'; DROP", "r"))).singleElement().asString()
                .isEqualTo("ALTER SESSION SET QUERY_TAG = 'cdi:o___DROP:r'");
    }

    @Test
    void adviceNamesTheGrantToRun() {
        assertThat(dialect.advice(new SQLException("Object does not exist or not authorized", "42S02", 2003)))
                .hasValueSatisfying(advice -> assertThat(advice).contains("GRANT SELECT").contains("CDI_ROLE"));
        assertThat(dialect.advice(new SQLException("No active warehouse selected", "57P03", 606)))
                .hasValueSatisfying(advice -> assertThat(advice).contains("GRANT USAGE ON WAREHOUSE CDI_WH TO ROLE CDI_ROLE"));
        assertThat(dialect.advice(new SQLException("JWT token is invalid", "08004", 390144)))
                .hasValueSatisfying(advice -> assertThat(advice).contains("ALTER USER CDI_USER SET RSA_PUBLIC_KEY"));
        assertThat(dialect.advice(new SQLException("other", "42000", 1))).isEmpty();
    }
}

package dev.cdi.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class JdbcDialectTest {
    private final JdbcDialect dialect = new JdbcDialect();

    @Test
    void quotesIdentifiersTheAnsiWay() {
        assertThat(dialect.quoteIdentifier("users")).isEqualTo("\"users\"");
        assertThat(dialect.quoteIdentifier("we\"ird;name")).isEqualTo("\"we\"\"ird;name\"");
        assertThat(dialect.qualifiedTableName(TableName.parse("db.main.users")))
                .isEqualTo("\"db\".\"main\".\"users\"");
    }

    @Test
    void refusesEmptyIdentifiersAndControlCharacters() {
        assertThatThrownBy(() -> dialect.quoteIdentifier(""))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        assertThatThrownBy(() -> dialect.quoteIdentifier("a\u0000b"))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageNotContaining("a\u0000b");
    }

    @Test
    void normalisesTypeNames() {
        assertThat(JdbcDialect.baseTypeName("STRUCT(a INTEGER, b MAP(VARCHAR, INTEGER))")).isEqualTo("STRUCT");
        assertThat(JdbcDialect.baseTypeName("timestamp(6)  with time zone")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(JdbcDialect.baseTypeName(" varchar(max) ")).isEqualTo("VARCHAR");
    }

    @Test
    void defaultTypeChecks() {
        assertThat(dialect.isUpdatedAtType("TIMESTAMP_NTZ(9)")).isTrue();
        assertThat(dialect.isUpdatedAtType("datetime2")).isTrue();
        assertThat(dialect.isUpdatedAtType("DATE")).isFalse();
        assertThat(dialect.isZonedTimestamp("timestamptz")).isTrue();
        assertThat(dialect.isZonedTimestamp("TIMESTAMP WITH TIME ZONE")).isTrue();
        assertThat(dialect.isZonedTimestamp("TIMESTAMP WITHOUT TIME ZONE")).isFalse();
        assertThat(dialect.isZonedTimestamp("TIMESTAMP_NTZ")).isFalse();
        assertThat(dialect.isPayloadType("varchar(65535)")).isTrue();
        assertThat(dialect.isPayloadType("INTEGER")).isFalse();
        assertThat(dialect.isDeletedType("boolean")).isTrue();
    }

    @Test
    void checkColumnTypeNamesTableColumnAndType() {
        TableName table = TableName.parse("main.users");

        dialect.checkColumnType(table, Column.EXTERNAL_ID, "INTEGER");
        assertThatThrownBy(() -> dialect.checkColumnType(table, Column.UPDATED_AT, "VARCHAR"))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_COLUMN_TYPE))
                .hasMessageContainingAll("UPDATED_AT", "main.users", "VARCHAR");
    }

    @Test
    void formatsUtcAtEveryPrecision() {
        Instant instant = Instant.parse("2026-01-02T03:04:05.123456789Z");

        assertThat(JdbcDialect.formatUtc(instant, ChronoUnit.NANOS)).isEqualTo("2026-01-02 03:04:05.123456789");
        assertThat(JdbcDialect.formatUtc(instant, ChronoUnit.MICROS)).isEqualTo("2026-01-02 03:04:05.123456");
        assertThat(JdbcDialect.formatUtc(instant, ChronoUnit.MILLIS)).isEqualTo("2026-01-02 03:04:05.123");
        assertThat(JdbcDialect.formatUtc(instant, ChronoUnit.SECONDS)).isEqualTo("2026-01-02 03:04:05");
        assertThat(JdbcDialect.formatUtc(Instant.parse("0001-01-01T00:00:00Z"), ChronoUnit.MICROS))
                .isEqualTo("0001-01-01 00:00:00.000000");
    }

    @Test
    void convertsEpochCountsExactlyAlsoBefore1970() {
        assertThat(JdbcDialect.fromEpoch(1_767_323_045_123_456L, ChronoUnit.MICROS))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(JdbcDialect.fromEpoch(1_767_323_045_123_456_789L, ChronoUnit.NANOS))
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.123456789Z"));
        assertThat(JdbcDialect.fromEpoch(-1L, ChronoUnit.MICROS)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(JdbcDialect.fromEpoch(-1L, ChronoUnit.SECONDS)).isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
    }
}

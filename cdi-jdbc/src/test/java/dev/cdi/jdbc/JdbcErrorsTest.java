package dev.cdi.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JdbcErrorsTest {
    private static final JdbcDialect ANSI = () -> "jdbc";

    @ParameterizedTest
    @CsvSource({
        "08001, CONNECTION_FAILED",
        "08006, CONNECTION_FAILED",
        "57P01, CONNECTION_FAILED",
        "28000, AUTHENTICATION_FAILED",
        "28P01, AUTHENTICATION_FAILED",
        "42501, PERMISSION_DENIED",
        "42P01, TABLE_NOT_FOUND",
        "42S02, TABLE_NOT_FOUND",
        "3F000, TABLE_NOT_FOUND",
        "42703, MISSING_COLUMN",
        "53100, RESOURCE_EXHAUSTED",
        "53200, RESOURCE_EXHAUSTED",
        "57014, QUERY_TIMEOUT",
        "HYT00, QUERY_TIMEOUT",
        "42601, STATEMENT_REFUSED",
        "0A000, STATEMENT_REFUSED",
        "42P02, STATEMENT_REFUSED",
        "22007, DATA_UNREADABLE",
        "22P02, DATA_UNREADABLE",
        "XX000, QUERY_FAILED",
    })
    void sqlStates(String sqlState, ErrorCode expected) {
        assertThat(JdbcErrors.classify(new SQLException("failed", sqlState), ANSI)).isEqualTo(expected);
    }

    @Test
    void retryableCodesAreTheTransientOnes() {
        assertThat(JdbcErrors.toCdiException(new SQLException("reset", "08006"), ANSI, "Reading").retryable()).isTrue();
        assertThat(JdbcErrors.toCdiException(new SQLException("out of memory", "53200"), ANSI, "Reading").retryable())
                .isTrue();
        assertThat(JdbcErrors.toCdiException(new SQLException("denied", "42501"), ANSI, "Reading").retryable()).isFalse();
        assertThat(JdbcErrors.toCdiException(new SQLException("bad password", "28P01"), ANSI, "Reading").category())
                .isEqualTo(ErrorCategory.AUTHENTICATION);
    }

    @Test
    void withoutSqlStateTheExceptionTypeDecides() {
        assertThat(JdbcErrors.classify(new SQLTimeoutException("timed out"), ANSI)).isEqualTo(ErrorCode.QUERY_TIMEOUT);
        assertThat(JdbcErrors.classify(new SQLInvalidAuthorizationSpecException("no"), ANSI))
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(JdbcErrors.classify(new SQLTransientConnectionException("pool exhausted"), ANSI))
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(JdbcErrors.classify(new SQLException("no route", new ConnectException("refused")), ANSI))
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(JdbcErrors.classify(new SQLException("something"), ANSI)).isEqualTo(ErrorCode.QUERY_FAILED);
    }

    @Test
    void theSqlStateOfAWrappedCauseCounts() {
        // HikariCP wraps the driver's failure when no connection can be made in time.
        SQLException driver = new SQLException("password authentication failed for user \"cdi\"", "28P01", 0);
        SQLException pool = new SQLTransientConnectionException("cdi-redshift-1 - Connection is not available", null,
                driver);

        assertThat(JdbcErrors.classify(pool, ANSI)).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
    }

    @Test
    void nextExceptionsAreConsulted() {
        SQLException batch = new SQLException("batch failed");
        batch.setNextException(new SQLException("relation \"users\" does not exist", "42P01"));

        assertThat(JdbcErrors.classify(batch, ANSI)).isEqualTo(ErrorCode.TABLE_NOT_FOUND);
    }

    @Test
    void theDialectIsAskedFirst() {
        JdbcDialect vendor = new JdbcDialect() {
            @Override
            public String name() {
                return "vendor";
            }

            @Override
            public Optional<ErrorCode> classifyVendorError(SQLException exception) {
                return exception.getErrorCode() == 390100
                        ? Optional.of(ErrorCode.AUTHENTICATION_FAILED)
                        : Optional.empty();
            }
        };

        assertThat(JdbcErrors.classify(new SQLException("Incorrect username or password", "08001", 390100), vendor))
                .isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        assertThat(JdbcErrors.classify(new SQLException("Could not connect", "08001", 1), vendor))
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
    }

    @Test
    void theMessageKeepsContextDriverMessageSqlStateAndVendorCodeAndTheCause() {
        SQLException driver = new SQLException("permission denied for table users", "42501", 1234);

        CdiException exception = JdbcErrors.toCdiException(driver, ANSI, "Reading table main.users");

        assertThat(exception.errorCode()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(exception.getMessage()).isEqualTo("Reading table main.users (jdbc): permission denied for table users"
                + " [SQLState 42501, vendor code 1234]");
        assertThat(exception.getCause()).isSameAs(driver);
    }

    @Test
    void causeMessagesAreAddedWhenTheyTellSomethingNew() {
        SQLException driver = new SQLException("Connection refused", "08001");
        SQLException pool = new SQLTransientConnectionException("cdi-x-1 - Connection is not available", "08001", driver);

        assertThat(JdbcErrors.toCdiException(pool, ANSI, "Connecting").getMessage())
                .isEqualTo("Connecting (jdbc): cdi-x-1 - Connection is not available; caused by: Connection refused"
                        + " [SQLState 08001, vendor code 0]");
    }

    @Test
    void longDriverMessagesAreTruncated() {
        String sql = "SELECT " + "x, ".repeat(2_000) + "y FROM t";

        String message = JdbcErrors.toCdiException(new SQLException("syntax error in " + sql), ANSI, "Reading")
                .getMessage();

        assertThat(message).hasSizeLessThan(2_200).contains("characters)").endsWith("[SQLState none, vendor code 0]");
    }
}

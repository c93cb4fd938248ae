package dev.cdi.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class JdbcPoolTest {

    @Test
    void isNamedAfterTheConnectorAndHidesSecrets() {
        TestingRefusingDriver driver = new TestingRefusingDriver();
        try (JdbcPool pool = JdbcPool.builder("redshift", "jdbc:testing://host/db?password=hunter2")
                .driver(driver).user("cdi").password("s3cret").build()) {
            assertThat(pool.poolName()).matches("cdi-redshift-\\d+");
            assertThat(pool.toString()).contains(pool.poolName()).contains("password=****")
                    .doesNotContain("hunter2").doesNotContain("s3cret");
        }
        assertThat(driver.attempts).as("building a pool does not connect").isEmpty();
    }

    @Test
    void passesPropertiesToTheDriverAndReportsItsFailureClassified() {
        TestingRefusingDriver driver = new TestingRefusingDriver();
        try (JdbcPool pool = JdbcPool.builder("testing", "jdbc:testing://host/db").driver(driver)
                .user("cdi").password("s3cret").secretProperty("token", "t0ken")
                .connectionTimeout(Duration.ofMillis(250)).build()) {
            JdbcSourceConnector connector = new JdbcSourceConnector(() -> "jdbc", pool);

            assertThatThrownBy(connector::currentTime)
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                    .hasMessageContaining("password authentication failed")
                    .hasMessageNotContaining("s3cret");
        }
        assertThat(driver.attempts).isNotEmpty();
        assertThat(driver.attempts.get(0).getProperty("user")).isEqualTo("cdi");
        assertThat(driver.attempts.get(0).getProperty("password")).isEqualTo("s3cret");
        assertThat(driver.attempts.get(0).getProperty("token")).isEqualTo("t0ken");
    }

    @Test
    void aConnectorIsUnhealthyOnceItsPoolIsClosed() {
        JdbcPool pool = JdbcPool.builder("testing", "jdbc:testing://host/db").driver(new TestingRefusingDriver()).build();
        JdbcSourceConnector connector = new JdbcSourceConnector(() -> "jdbc", pool);
        assertThat(connector.isHealthy()).isTrue();

        pool.close();

        assertThat(pool.isClosed()).isTrue();
        assertThat(connector.isHealthy()).isFalse();
    }

    @Test
    void badSettingsFailBeforeConnecting() {
        assertThatThrownBy(() -> JdbcPool.builder("Bad-Name", "jdbc:testing:").driver(new TestingRefusingDriver()).build())
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        assertThatThrownBy(() -> JdbcPool.builder("x", "jdbc:testing:").driver(new TestingRefusingDriver())
                .maximumPoolSize(0).build())
                .hasMessageContaining("maximumPoolSize");
        assertThatThrownBy(() -> JdbcPool.builder("x", "jdbc:no-such-driver://h?password=hunter2").build())
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("No JDBC driver")
                .hasMessageNotContaining("hunter2");
    }

    /** A driver that records each attempt and refuses the password, as a warehouse would. */
    static final class TestingRefusingDriver implements Driver {
        final List<Properties> attempts = new ArrayList<>();

        @Override
        public synchronized Connection connect(String url, Properties info) throws SQLException {
            attempts.add(info);
            throw new SQLException("FATAL: password authentication failed for user \"cdi\"", "28P01");
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:testing:");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }
    }
}

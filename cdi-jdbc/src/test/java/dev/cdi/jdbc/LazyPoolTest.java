package dev.cdi.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyPoolTest {

    @Test
    void buildsThePoolOnceOnFirstUseAndRefusesAfterClose() throws SQLException {
        AtomicInteger built = new AtomicInteger();
        LazyPool lazy = new LazyPool("testing", () -> {
            built.incrementAndGet();
            return JdbcPool.builder("testing", "jdbc:testing://host/db").driver(new JdbcPoolTest.TestingRefusingDriver()).build();
        });
        assertThat(built).as("nothing is built before a connection is asked for").hasValue(0);

        JdbcPool first = lazy.pool();
        assertThat(lazy.pool()).isSameAs(first);
        assertThat(built).hasValue(1);

        lazy.close();

        assertThat(lazy.isClosed()).isTrue();
        assertThat(first.isClosed()).isTrue();
        assertThatThrownBy(lazy::getConnection).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08003")).hasMessage("The testing connector is closed");
        assertThat(built).hasValue(1);
    }

    @Test
    void aFailedBuildIsTriedAgainOnTheNextRequest() throws SQLException {
        AtomicInteger attempts = new AtomicInteger();
        LazyPool lazy = new LazyPool("testing", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new SQLException("login refused", "28000");
            }
            return JdbcPool.builder("testing", "jdbc:testing://host/db").driver(new JdbcPoolTest.TestingRefusingDriver()).build();
        });

        assertThatThrownBy(lazy::pool).hasMessage("login refused");
        assertThat(lazy.pool()).isNotNull();
        assertThat(attempts).hasValue(2);
        lazy.close();
    }
}

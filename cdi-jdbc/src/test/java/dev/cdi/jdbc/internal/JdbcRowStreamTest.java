package dev.cdi.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import dev.cdi.jdbc.JdbcDialect;
import dev.cdi.sql.SqlTable;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JdbcRowStreamTest {
    private static final JdbcDialect ANSI = () -> "jdbc";
    private static final SqlTable USERS = SqlTable.of(ANSI, TableName.parse("main.users"),
            new TableSchema(Map.of(Column.UPDATED_AT, "TIMESTAMP", Column.EXTERNAL_ID, "VARCHAR")));

    /** A statement whose result set blocks in {@code next()} until the statement is cancelled, as a slow query does. */
    private static final class BlockingQuery {
        final CountDownLatch inNext = new CountDownLatch(1);
        final CountDownLatch cancelled = new CountDownLatch(1);
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicBoolean connectionClosed = new AtomicBoolean();

        final Statement statement = stub(Statement.class, (name, args) -> {
            switch (name) {
                case "cancel" -> {
                    cancels.incrementAndGet();
                    cancelled.countDown();
                }
                case "close" -> {
                }
                default -> throw new UnsupportedOperationException(name);
            }
            return null;
        });

        final ResultSet resultSet = stub(ResultSet.class, (name, args) -> {
            switch (name) {
                case "next" -> {
                    inNext.countDown();
                    if (!cancelled.await(30, TimeUnit.SECONDS)) {
                        throw new SQLException("the test never cancelled");
                    }
                    throw new SQLException("ERROR: canceling statement due to user request", "57014");
                }
                case "close" -> {
                    return null;
                }
                default -> throw new UnsupportedOperationException(name);
            }
        });

        final Connection connection = stub(Connection.class, (name, args) -> {
            switch (name) {
                case "getAutoCommit" -> {
                    return true;
                }
                case "close" -> {
                    connectionClosed.set(true);
                    return null;
                }
                default -> throw new UnsupportedOperationException(name);
            }
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    private static <T> T stub(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("toString") ? type.getSimpleName() + " stub"
                        : answer.answer(method.getName(), args)));
    }

    @Test
    void cancelFromAnotherThreadAbortsABlockedReadWhichThenClosesTheStream() throws Exception {
        BlockingQuery query = new BlockingQuery();
        JdbcRowStream stream = new JdbcRowStream(ANSI, "Reading table main.users", query.connection,
                query.statement, query.resultSet, USERS);
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> read = consumer.submit(stream::hasNext);
            assertThat(query.inNext.await(30, TimeUnit.SECONDS)).as("the read is blocked in the driver").isTrue();

            stream.cancel();

            assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.QUERY_TIMEOUT));
        } finally {
            consumer.shutdownNow();
        }
        assertThat(query.cancels.get()).as("cancelled by cancel(), then again by the close after the failure")
                .isEqualTo(2);
        assertThat(query.connectionClosed).as("the failed read closed the stream").isTrue();

        stream.cancel();
        assertThat(query.cancels.get()).as("a closed stream does not cancel").isEqualTo(2);
    }
}

package dev.cdi.core.state;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Connections, transactions and error mapping shared by the tables of {@link PostgresStateStore}. */
final class PostgresDatabase {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String schema;
    private final String quotedSchema;

    PostgresDatabase(DataSource dataSource, String schema) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        requireNonNull(schema, "schema is null");
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name '" + schema + "' must match [a-z_][a-z0-9_]* (at most 63)");
        }
        this.schema = schema;
        this.quotedSchema = '"' + schema + '"';
    }

    String schema() {
        return schema;
    }

    String sql(String template) {
        return template.replace("{s}", quotedSchema);
    }

    void update(String context, String template, String parameter) {
        inTransaction(context, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql(template))) {
                statement.setString(1, parameter);
                statement.executeUpdate();
            }
            return null;
        });
    }

    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    <T> T inTransaction(String context, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new CdiException(ErrorCode.STATE_STORE_FAILED, context + " failed in PostgreSQL schema " + schema
                    + " (SQLState " + e.getSQLState() + ", vendor code " + e.getErrorCode() + "): "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** The driver appends the failing row's values on later lines; those stay in the cause only. */
    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    CdiException corrupt(String what, Exception cause) {
        return new CdiException(ErrorCode.STATE_STORE_FAILED, what + " in PostgreSQL schema " + schema
                + " cannot be read (" + cause.getMessage() + "); it was changed outside CDI or by a newer version", cause);
    }

    static void requireNotBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}

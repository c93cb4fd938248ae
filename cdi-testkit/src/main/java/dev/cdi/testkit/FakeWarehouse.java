package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.DataType;
import dev.cdi.api.SourceConnector;
import dev.cdi.api.SyncSpec;
import dev.cdi.api.TableName;
import dev.cdi.duckdb.DuckDbConnectorProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.duckdb.DuckDBConnection;

/**
 * A warehouse in the test's own process: an in-memory DuckDB database with CDI's table layouts, reached through
 * the real DuckDB connector, with fault injection and a clock the test can freeze.
 *
 * <pre>{@code
 * try (FakeWarehouse warehouse = FakeWarehouse.create()) {
 *     FakeTable users = warehouse.createTable("main.users", DataType.ATTRIBUTES);
 *     users.row().updatedAt("2026-01-01T00:00:00Z").externalId("u1").payload("{\"plan\":\"gold\"}").insert();
 *     RunResult result = engine.run(warehouse.spec("users", users, DataType.ATTRIBUTES).build(), sink);
 * }
 * }</pre>
 *
 * <p>It is also found by name: connector {@value #CONNECTOR_NAME} with the setting {@code warehouse} = {@link #id()}
 * (see {@link #connectorSettings()}), so configuration-driven code can be pointed at it. Thread-safe.
 */
public final class FakeWarehouse implements AutoCloseable {
    /** The connector name under which open fake warehouses are found. */
    public static final String CONNECTOR_NAME = "fake";

    private static final Map<String, FakeWarehouse> OPEN = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final DuckDBConnection connection;
    private final Faults faults = new Faults();
    private final Map<TableName, FakeTable> tables = new ConcurrentHashMap<>();
    private final List<String> queryTags = new CopyOnWriteArrayList<>();
    private volatile Instant frozenTime;

    private FakeWarehouse(DuckDBConnection connection) {
        this.connection = connection;
    }

    /**
     * Starts an empty warehouse.
     *
     * @return the warehouse, which the caller closes
     */
    public static FakeWarehouse create() {
        try {
            Connection connection = DriverManager.getConnection("jdbc:duckdb:");
            FakeWarehouse warehouse = new FakeWarehouse(connection.unwrap(DuckDBConnection.class));
            OPEN.put(warehouse.id, warehouse);
            return warehouse;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot start an in-memory DuckDB", e);
        }
    }

    static Optional<FakeWarehouse> find(String id) {
        return Optional.ofNullable(OPEN.get(id));
    }

    /**
     * The id under which the {@value #CONNECTOR_NAME} connector finds this warehouse.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Creates a table (and its schema) with a data type's standard layout.
     *
     * @param qualifiedName {@code schema.table}
     * @param dataType the data type whose layout to use
     * @return the table
     */
    public FakeTable createTable(String qualifiedName, DataType dataType) {
        return createTable(qualifiedName, TableLayout.of(dataType));
    }

    /**
     * Creates a table (and its schema) with a layout.
     *
     * @param qualifiedName {@code schema.table}
     * @param layout the columns and their types
     * @return the table
     */
    public FakeTable createTable(String qualifiedName, TableLayout layout) {
        return createTable(TableName.parse(qualifiedName), layout);
    }

    /**
     * Creates a table (and its schema) with a layout; the name's parts may hold any character but control
     * characters (they are quoted).
     *
     * @param name the table's name
     * @param layout the columns and their types
     * @return the table
     */
    public FakeTable createTable(TableName name, TableLayout layout) {
        StringJoiner columns = new StringJoiner(", ");
        for (Column column : layout.columns()) {
            columns.add(quote(column.name()) + " " + layout.sqlTypeOf(column));
        }
        execute("CREATE SCHEMA IF NOT EXISTS " + quote(name.schema()));
        execute("CREATE TABLE " + quoted(name) + " (" + columns + ")");
        FakeTable table = new FakeTable(this, name, layout);
        tables.put(name, table);
        return table;
    }

    /**
     * A table created earlier by {@link #createTable}.
     *
     * @param name the table's name
     * @return the table
     * @throws IllegalArgumentException when this warehouse did not create it
     */
    public FakeTable table(TableName name) {
        FakeTable table = tables.get(name);
        if (table == null) {
            throw new IllegalArgumentException("no table " + name + " was created in this fake warehouse");
        }
        return table;
    }

    /**
     * Drops a table, as when someone drops it between two runs.
     *
     * @param qualifiedName {@code schema.table}
     */
    public void dropTable(String qualifiedName) {
        execute("DROP TABLE " + quoted(TableName.parse(qualifiedName)));
    }

    /**
     * Runs any SQL statement, with text parameters bound in order.
     *
     * @param sql the statement
     * @param parameters values for its {@code ?} placeholders
     */
    public void execute(String sql, String... parameters) {
        synchronized (connection) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                statement.execute();
            } catch (SQLException e) {
                throw new IllegalStateException("Fake warehouse statement failed: " + e.getMessage(), e);
            }
        }
    }

    long queryLong(String sql) {
        synchronized (connection) {
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return result.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException("Fake warehouse query failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The faults injected into this warehouse's connectors.
     *
     * @return the faults, to configure
     */
    public Faults faults() {
        return faults;
    }

    /**
     * Makes the warehouse's clock (which sets a run's upper bound) stand still at an instant.
     *
     * @param instant the warehouse's time from now on
     */
    public void freezeTimeAt(Instant instant) {
        this.frozenTime = requireNonNull(instant, "instant is null");
    }

    /**
     * Moves a frozen clock forward.
     *
     * @param duration how far
     * @throws IllegalStateException when the clock is not frozen
     */
    public void advanceTime(Duration duration) {
        Instant frozen = frozenTime;
        if (frozen == null) {
            throw new IllegalStateException("the clock is not frozen; call freezeTimeAt first");
        }
        frozenTime = frozen.plus(duration);
    }

    /**
     * A connector to this warehouse: the real DuckDB connector, with this warehouse's faults and clock.
     *
     * @return an open connector, which the caller closes (the warehouse stays open)
     */
    public SourceConnector connector() {
        SourceConnector real = DuckDbConnectorProvider.forConnection(connection);
        return new FaultInjectingConnector(real, faults, queryTags::add, () -> {
            Instant frozen = frozenTime;
            return frozen != null ? frozen : real.currentTime();
        });
    }

    /**
     * The query tags the warehouse has seen, in order: the {@link dev.cdi.api.RunContext#label() label} of every
     * connector call made for a run (describing, the current time, counting, reading), as a warehouse administrator
     * would see them in a query history. Calls made without a run context are not listed.
     *
     * @return the labels so far
     */
    public List<String> queryTags() {
        return List.copyOf(queryTags);
    }

    /**
     * The settings that find this warehouse through the {@value #CONNECTOR_NAME} connector.
     *
     * @return the settings
     */
    public ConnectorSettings connectorSettings() {
        return ConnectorSettings.of(Map.of("warehouse", id));
    }

    /**
     * A spec builder for an integration reading a table of this warehouse by name.
     *
     * @param integration the integration's name
     * @param table the table
     * @param dataType the data type
     * @return the builder, to set options and build
     */
    public SyncSpec.Builder spec(String integration, FakeTable table, DataType dataType) {
        return SyncSpec.builder()
                .integration(integration)
                .connector(CONNECTOR_NAME, connectorSettings())
                .table(table.name())
                .dataType(dataType);
    }

    @Override
    public void close() {
        OPEN.remove(id);
        synchronized (connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot close the fake warehouse", e);
            }
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String quoted(TableName name) {
        return name.database().map(database -> quote(database) + ".").orElse("") + quote(name.schema()) + "."
                + quote(name.table());
    }
}

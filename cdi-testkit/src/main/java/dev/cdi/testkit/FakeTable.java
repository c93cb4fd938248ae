package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import dev.cdi.api.TableName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A table of a {@link FakeWarehouse}, with a fluent way to insert rows:
 * <pre>{@code
 * table.row().updatedAt("2026-01-01T00:00:00Z").externalId("u1").payload("{\"plan\":\"gold\"}").insert();
 * }</pre>
 *
 * <p>Thread-safe as far as the warehouse's connection is (inserts are serialised).
 */
public final class FakeTable {
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS")
            .withZone(ZoneOffset.UTC);

    private final FakeWarehouse warehouse;
    private final TableName name;
    private final TableLayout layout;

    FakeTable(FakeWarehouse warehouse, TableName name, TableLayout layout) {
        this.warehouse = warehouse;
        this.name = name;
        this.layout = layout;
    }

    /**
     * The table's name.
     *
     * @return the name
     */
    public TableName name() {
        return name;
    }

    /**
     * The table's layout.
     *
     * @return the layout
     */
    public TableLayout layout() {
        return layout;
    }

    /**
     * Starts a row to insert; unset columns are NULL.
     *
     * @return the row builder
     */
    public RowInsert row() {
        return new RowInsert();
    }

    /**
     * Counts the table's rows.
     *
     * @return the count
     */
    public long count() {
        return warehouse.queryLong("SELECT COUNT(*) FROM " + FakeWarehouse.quoted(name));
    }

    /**
     * Deletes every row.
     */
    public void truncate() {
        warehouse.execute("DELETE FROM " + FakeWarehouse.quoted(name));
    }

    /**
     * The SQL literal-free expression that casts a bound text parameter to this table's {@code UPDATED_AT} type.
     */
    String timestampParameter() {
        return "CAST(? AS " + layout.timestampType() + ")";
    }

    String timestampText(Instant instant) {
        String type = layout.timestampType().toUpperCase(java.util.Locale.ROOT);
        String text = (type.contains("NS") ? NANOS : MICROS).format(instant);
        return type.contains("TZ") || type.contains("TIME ZONE") ? text + "+00" : text;
    }

    /**
     * One row to insert. Not thread-safe.
     */
    public final class RowInsert {
        private final Map<Column, String> values = new EnumMap<>(Column.class);
        private Instant updatedAt;

        private RowInsert() {
        }

        /**
         * Sets {@code UPDATED_AT}.
         *
         * @param instant the value (stored at the column type's precision)
         * @return this row
         */
        public RowInsert updatedAt(Instant instant) {
            this.updatedAt = requireNonNull(instant, "instant is null");
            return this;
        }

        /**
         * Sets {@code UPDATED_AT} from ISO-8601 text such as {@code 2026-01-02T03:04:05.123456Z}.
         *
         * @param iso the value
         * @return this row
         */
        public RowInsert updatedAt(String iso) {
            return updatedAt(Instant.parse(iso));
        }

        /**
         * Sets {@code EXTERNAL_ID}.
         *
         * @param value the id
         * @return this row
         */
        public RowInsert externalId(String value) {
            return set(Column.EXTERNAL_ID, value);
        }

        /**
         * Sets {@code ALIAS_NAME} and {@code ALIAS_LABEL}.
         *
         * @param aliasName the name
         * @param aliasLabel the label
         * @return this row
         */
        public RowInsert alias(String aliasName, String aliasLabel) {
            return set(Column.ALIAS_NAME, aliasName).set(Column.ALIAS_LABEL, aliasLabel);
        }

        /**
         * Sets {@code BRAZE_ID}.
         *
         * @param value the id
         * @return this row
         */
        public RowInsert brazeId(String value) {
            return set(Column.BRAZE_ID, value);
        }

        /**
         * Sets {@code EMAIL}.
         *
         * @param value the address
         * @return this row
         */
        public RowInsert email(String value) {
            return set(Column.EMAIL, value);
        }

        /**
         * Sets {@code PHONE}.
         *
         * @param value the number
         * @return this row
         */
        public RowInsert phone(String value) {
            return set(Column.PHONE, value);
        }

        /**
         * Sets {@code ID} (catalogs).
         *
         * @param value the item id
         * @return this row
         */
        public RowInsert id(String value) {
            return set(Column.ID, value);
        }

        /**
         * Sets {@code DELETED} (catalogs).
         *
         * @param deleted the flag
         * @return this row
         */
        public RowInsert deleted(boolean deleted) {
            return set(Column.DELETED, Boolean.toString(deleted));
        }

        /**
         * Sets {@code PAYLOAD} as JSON text (cast to the column's type).
         *
         * @param json the text
         * @return this row
         */
        public RowInsert payload(String json) {
            return set(Column.PAYLOAD, json);
        }

        /**
         * Sets any column as text (cast to the column's type).
         *
         * @param column the column
         * @param value the text
         * @return this row
         */
        public RowInsert set(Column column, String value) {
            if (!layout.columns().contains(column)) {
                throw new IllegalArgumentException("table " + name + " has no " + column + " column");
            }
            values.put(column, requireNonNull(value, "value is null"));
            return this;
        }

        /**
         * Inserts the row.
         *
         * @return the table, to insert more
         */
        public FakeTable insert() {
            StringJoiner columns = new StringJoiner(", ");
            StringJoiner parameters = new StringJoiner(", ");
            java.util.List<String> bound = new java.util.ArrayList<>();
            if (updatedAt != null) {
                columns.add(Column.UPDATED_AT.name());
                parameters.add(timestampParameter());
                bound.add(timestampText(updatedAt));
            }
            values.forEach((column, value) -> {
                columns.add(column.name());
                parameters.add("CAST(? AS " + layout.sqlTypeOf(column) + ")");
                bound.add(value);
            });
            if (bound.isEmpty()) {
                warehouse.execute("INSERT INTO " + FakeWarehouse.quoted(name) + " DEFAULT VALUES");
            } else {
                warehouse.execute("INSERT INTO " + FakeWarehouse.quoted(name) + " (" + columns + ") VALUES (" + parameters + ")",
                        bound.toArray(new String[0]));
            }
            return FakeTable.this;
        }
    }
}

package dev.cdi.testkit;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns and column types of a fake source table: by default the SPEC section 3 layout of a data type with
 * {@code UPDATED_AT TIMESTAMP} (time-zone-less, UTC) and {@code PAYLOAD VARCHAR}; change them with the
 * {@code with...} methods (a layout may lack required columns on purpose, to test the schema errors).
 *
 * <p>Immutable and thread-safe.
 *
 * @param columns the columns, in table order
 * @param timestampType the DuckDB type of {@code UPDATED_AT}, such as {@code TIMESTAMP} or {@code TIMESTAMPTZ}
 * @param payloadType the DuckDB type of {@code PAYLOAD}, such as {@code VARCHAR} or {@code JSON}
 */
public record TableLayout(List<Column> columns, String timestampType, String payloadType) {

    /** Validates and copies. */
    public TableLayout {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(timestampType, "timestampType is null");
        requireNonNull(payloadType, "payloadType is null");
    }

    /**
     * The standard layout of a data type: every identifier column the type accepts, and {@code PAYLOAD} unless it is
     * a user-delete table.
     *
     * @param dataType the data type
     * @return the layout
     */
    public static TableLayout of(DataType dataType) {
        List<Column> columns = new ArrayList<>(List.of(Column.UPDATED_AT));
        switch (dataType) {
            case ATTRIBUTES, EVENTS, PURCHASES -> {
                columns.addAll(List.of(Column.EXTERNAL_ID, Column.ALIAS_NAME, Column.ALIAS_LABEL, Column.BRAZE_ID,
                        Column.EMAIL, Column.PHONE, Column.PAYLOAD));
            }
            case USER_DELETES -> columns.addAll(List.of(Column.EXTERNAL_ID, Column.ALIAS_NAME, Column.ALIAS_LABEL,
                    Column.BRAZE_ID));
            case CATALOG -> columns.addAll(List.of(Column.ID, Column.PAYLOAD, Column.DELETED));
        }
        return new TableLayout(columns, "TIMESTAMP", "VARCHAR");
    }

    /**
     * This layout with other columns added.
     *
     * @param more the columns to add
     * @return a new layout
     */
    public TableLayout withColumns(Column... more) {
        Set<Column> all = new LinkedHashSet<>(columns);
        all.addAll(List.of(more));
        return new TableLayout(new ArrayList<>(all), timestampType, payloadType);
    }

    /**
     * This layout without some columns.
     *
     * @param less the columns to remove
     * @return a new layout
     */
    public TableLayout withoutColumns(Column... less) {
        List<Column> kept = new ArrayList<>(columns);
        kept.removeAll(List.of(less));
        return new TableLayout(kept, timestampType, payloadType);
    }

    /**
     * This layout with another {@code UPDATED_AT} type.
     *
     * @param type a DuckDB timestamp type
     * @return a new layout
     */
    public TableLayout withTimestampType(String type) {
        return new TableLayout(columns, type, payloadType);
    }

    /**
     * This layout with another {@code PAYLOAD} type.
     *
     * @param type a DuckDB type such as {@code JSON}
     * @return a new layout
     */
    public TableLayout withPayloadType(String type) {
        return new TableLayout(columns, timestampType, type);
    }

    String sqlTypeOf(Column column) {
        return switch (column) {
            case UPDATED_AT -> timestampType;
            case PAYLOAD -> payloadType;
            case DELETED -> "BOOLEAN";
            case EXTERNAL_ID, ALIAS_NAME, ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE, ID -> "VARCHAR";
        };
    }
}

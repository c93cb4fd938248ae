package dev.cdi.core.internal;

import dev.cdi.api.CdiException;
import dev.cdi.api.Column;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.TableName;
import dev.cdi.api.TableSchema;
import java.util.List;

/** The columns each data type needs (SPEC section 3), checked before any row is read. Thread-safe. */
public final class SchemaRules {
    private static final List<Column> USER_IDENTIFIERS = List.of(Column.EXTERNAL_ID, Column.ALIAS_NAME,
            Column.BRAZE_ID, Column.EMAIL, Column.PHONE);

    private SchemaRules() {
    }

    /**
     * Checks a table's columns against its data type.
     *
     * @param table the table, for messages
     * @param dataType the data type
     * @param schema the table's columns
     * @throws CdiException in category {@link dev.cdi.api.ErrorCategory#SCHEMA} naming what is wrong
     */
    public static void check(TableName table, DataType dataType, TableSchema schema) {
        require(table, schema, Column.UPDATED_AT, "every table needs it");
        if (dataType == DataType.USER_DELETES && schema.has(Column.PAYLOAD)) {
            throw new CdiException(ErrorCode.PAYLOAD_ON_DELETE_TABLE, "Table " + table + " is a user-delete table but has "
                    + "a PAYLOAD column; refusing to read it so that no user is deleted by mistake. Point the "
                    + "integration at a table or view without PAYLOAD");
        }
        if (dataType.hasPayload()) {
            require(table, schema, Column.PAYLOAD, "data type " + dataType.configName() + " needs it");
        }
        if (dataType == DataType.CATALOG) {
            require(table, schema, Column.ID, "catalog items are identified by it");
            return;
        }
        if (schema.has(Column.ALIAS_NAME) != schema.has(Column.ALIAS_LABEL)) {
            throw new CdiException(ErrorCode.MISSING_COLUMN, "Table " + table + " has "
                    + (schema.has(Column.ALIAS_NAME) ? "ALIAS_NAME but not ALIAS_LABEL" : "ALIAS_LABEL but not ALIAS_NAME")
                    + "; a user alias needs both columns");
        }
        if (USER_IDENTIFIERS.stream().noneMatch(schema::has)) {
            throw new CdiException(ErrorCode.MISSING_COLUMN, "Table " + table + " has no identifier column; add one of "
                    + (dataType == DataType.USER_DELETES ? "EXTERNAL_ID, ALIAS_NAME+ALIAS_LABEL, BRAZE_ID"
                            : "EXTERNAL_ID, ALIAS_NAME+ALIAS_LABEL, BRAZE_ID, EMAIL, PHONE"));
        }
    }

    private static void require(TableName table, TableSchema schema, Column column, String why) {
        if (!schema.has(column)) {
            throw new CdiException(ErrorCode.MISSING_COLUMN, "Table " + table + " has no " + column + " column (" + why + ")");
        }
    }
}

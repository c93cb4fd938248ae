package dev.cdi.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The kind of data an integration syncs; it decides the table layout and the validation rules.
 *
 * <p>Thread-safe (an enum).
 */
public enum DataType {
    /** Custom attributes: a JSON object of attribute names to values per row. */
    ATTRIBUTES("attributes", true),
    /** Custom events: one event per row, {@code name} required. */
    EVENTS("events", true),
    /** Purchase events: one purchase per row, {@code product_id}, {@code currency} and {@code price} required. */
    PURCHASES("purchases", true),
    /** User deletes: one identifier per row and no {@code PAYLOAD} column at all. */
    USER_DELETES("user_deletes", false),
    /** Catalog items: {@code ID}, {@code PAYLOAD} and an optional {@code DELETED} flag. */
    CATALOG("catalog", true);

    private final String configName;
    private final boolean hasPayload;

    DataType(String configName, boolean hasPayload) {
        this.configName = configName;
        this.hasPayload = hasPayload;
    }

    /**
     * The name used in configuration files and in sink output, such as {@code user_deletes}.
     *
     * @return the lower-case configuration name
     */
    public String configName() {
        return configName;
    }

    /**
     * Whether rows of this type carry a {@code PAYLOAD} column.
     *
     * @return false only for {@link #USER_DELETES}
     */
    public boolean hasPayload() {
        return hasPayload;
    }

    /**
     * Whether rows of this type target a user (as opposed to a catalog item).
     *
     * @return true for every type but {@link #CATALOG}
     */
    public boolean targetsUsers() {
        return this != CATALOG;
    }

    /**
     * Looks a data type up by its configuration name.
     *
     * @param configName a name such as {@code attributes}
     * @return the data type
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the name is unknown
     */
    public static DataType fromConfigName(String configName) {
        for (DataType type : values()) {
            if (type.configName.equals(configName)) {
                return type;
            }
        }
        throw new CdiException(ErrorCode.INVALID_CONFIGURATION, "Unknown data type '" + configName + "'; known: "
                + Arrays.stream(values()).map(DataType::configName).collect(Collectors.joining(", ")));
    }
}

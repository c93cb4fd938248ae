package dev.cdi.api;

import static java.util.Objects.requireNonNull;

/**
 * Whom (or which catalog item) a resolved row targets: exactly one identifier per row.
 *
 * <p>All implementations are immutable records and thread-safe. Values are stored as resolved
 * (emails trimmed with the domain lower-cased, phone numbers in E.164).
 */
public sealed interface Identifier {

    /**
     * The identifier type's stable name as used in sink output: {@code external_id}, {@code user_alias},
     * {@code braze_id}, {@code email}, {@code phone} or {@code catalog_item}.
     *
     * @return the type name
     */
    String typeName();

    /**
     * A user's external id.
     *
     * @param value the id, not blank
     */
    record ExternalId(String value) implements Identifier {
        /** Validates the value. */
        public ExternalId {
            requireNotBlank(value, "value");
        }

        @Override
        public String typeName() {
            return "external_id";
        }
    }

    /**
     * A user alias: a name within a label.
     *
     * @param name the alias name, not blank
     * @param label the alias label, not blank
     */
    record UserAlias(String name, String label) implements Identifier {
        /** Validates both parts. */
        public UserAlias {
            requireNotBlank(name, "name");
            requireNotBlank(label, "label");
        }

        @Override
        public String typeName() {
            return "user_alias";
        }
    }

    /**
     * An internal user id; rows targeting it can only update an existing user.
     *
     * @param value the id, not blank
     */
    record BrazeId(String value) implements Identifier {
        /** Validates the value. */
        public BrazeId {
            requireNotBlank(value, "value");
        }

        @Override
        public String typeName() {
            return "braze_id";
        }
    }

    /**
     * An email address, trimmed, with its domain lower-cased.
     *
     * @param value the address, not blank
     */
    record Email(String value) implements Identifier {
        /** Validates the value. */
        public Email {
            requireNotBlank(value, "value");
        }

        @Override
        public String typeName() {
            return "email";
        }
    }

    /**
     * A phone number in E.164 form ({@code +} and 8 to 15 digits).
     *
     * @param value the number, not blank
     */
    record Phone(String value) implements Identifier {
        /** Validates the value. */
        public Phone {
            requireNotBlank(value, "value");
        }

        @Override
        public String typeName() {
            return "phone";
        }
    }

    /**
     * A catalog item's id.
     *
     * @param value the id, not blank
     */
    record CatalogItemId(String value) implements Identifier {
        /** Validates the value. */
        public CatalogItemId {
            requireNotBlank(value, "value");
        }

        @Override
        public String typeName() {
            return "catalog_item";
        }
    }

    private static void requireNotBlank(String value, String name) {
        requireNonNull(value, name + " is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}

package dev.cdi.core.history;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.Identifier;

/**
 * An {@link Identifier} as run histories store it: its type name, its value (an alias's name), and a label that is
 * empty except for an alias. Shared by every history store so all store identifiers alike.
 *
 * <p>Immutable and thread-safe.
 *
 * @param type the identifier's {@link Identifier#typeName()}
 * @param value its value, or an alias's name
 * @param label an alias's label, or empty
 */
public record StoredIdentifier(String type, String value, String label) {

    /** Validates every part. */
    public StoredIdentifier {
        requireNonNull(type, "type is null");
        requireNonNull(value, "value is null");
        requireNonNull(label, "label is null");
    }

    /**
     * The stored form of an identifier.
     *
     * @param identifier the identifier
     * @return its parts
     */
    public static StoredIdentifier of(Identifier identifier) {
        String value;
        String label = "";
        if (identifier instanceof Identifier.UserAlias alias) {
            value = alias.name();
            label = alias.label();
        } else if (identifier instanceof Identifier.ExternalId id) {
            value = id.value();
        } else if (identifier instanceof Identifier.BrazeId id) {
            value = id.value();
        } else if (identifier instanceof Identifier.Email id) {
            value = id.value();
        } else if (identifier instanceof Identifier.Phone id) {
            value = id.value();
        } else if (identifier instanceof Identifier.CatalogItemId id) {
            value = id.value();
        } else {
            throw new IllegalArgumentException("unknown identifier type " + identifier.typeName());
        }
        return new StoredIdentifier(identifier.typeName(), value, label);
    }

    /**
     * The identifier these parts stand for.
     *
     * @return the identifier
     * @throws IllegalArgumentException when the type is unknown
     */
    public Identifier toIdentifier() {
        switch (type) {
            case "external_id":
                return new Identifier.ExternalId(value);
            case "user_alias":
                return new Identifier.UserAlias(value, label);
            case "braze_id":
                return new Identifier.BrazeId(value);
            case "email":
                return new Identifier.Email(value);
            case "phone":
                return new Identifier.Phone(value);
            case "catalog_item":
                return new Identifier.CatalogItemId(value);
            default:
                throw new IllegalArgumentException("unknown identifier type " + type);
        }
    }
}

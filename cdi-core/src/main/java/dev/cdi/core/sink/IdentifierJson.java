package dev.cdi.core.sink;

import dev.cdi.api.Identifier;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes an {@link Identifier} as the JSON object of SPEC section 12: {@code {"type": "external_id", "value": "u1"}},
 * or {@code {"type": "user_alias", "alias_name": ..., "alias_label": ...}} for an alias. Shared by the JSON-lines
 * sink and the command line's {@code --json} output so both show identifiers alike.
 *
 * <p>Thread-safe (stateless).
 */
public final class IdentifierJson {
    private IdentifierJson() {
    }

    /**
     * Writes the identifier as one JSON object.
     *
     * @param json where to write
     * @param identifier the identifier
     * @throws IOException when the generator fails
     */
    public static void write(JsonGenerator json, Identifier identifier) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", identifier.typeName());
        if (identifier instanceof Identifier.UserAlias alias) {
            json.writeStringField("alias_name", alias.name());
            json.writeStringField("alias_label", alias.label());
        } else if (identifier instanceof Identifier.ExternalId id) {
            json.writeStringField("value", id.value());
        } else if (identifier instanceof Identifier.BrazeId id) {
            json.writeStringField("value", id.value());
        } else if (identifier instanceof Identifier.Email email) {
            json.writeStringField("value", email.value());
        } else if (identifier instanceof Identifier.Phone phone) {
            json.writeStringField("value", phone.value());
        } else if (identifier instanceof Identifier.CatalogItemId item) {
            json.writeStringField("value", item.value());
        }
        json.writeEndObject();
    }
}

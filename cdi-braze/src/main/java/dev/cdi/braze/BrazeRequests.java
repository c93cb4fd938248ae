package dev.cdi.braze;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.cdi.api.CdiException;
import dev.cdi.api.DataType;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.WriteMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits a batch of resolved rows into Braze requests: one kind of object per request, at most Braze's limit of
 * objects per request, and at most one row per user (or catalog item) per request, so that a user's later row
 * always goes in a later request that waits for the one holding the earlier row. Braze documents no order for
 * several objects of one user within one request, and requests in flight run in any order; this keeps
 * "a user's later row never overtakes an earlier one" without serialising everything.
 *
 * <p>Not thread-safe; {@link #plan} is a pure function of its arguments.
 */
final class BrazeRequests {
    /** Objects of one kind per {@code /users/track} request. */
    static final int TRACK_LIMIT = 75;
    /** Ids per {@code /users/delete} request. */
    static final int DELETE_LIMIT = 50;
    /** Items per catalog items request. */
    static final int CATALOG_LIMIT = 50;

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private BrazeRequests() {
    }

    /** What one request is for; it decides the answer's shape. */
    enum Kind {
        TRACK,
        DELETE_USERS,
        CATALOG_REPLACE,
        CATALOG_DELETE
    }

    /**
     * One request: its endpoint, the rows it carries (indexes into the batch) with each row's JSON element, and the
     * earlier requests (indexes into the plan) it must wait for.
     */
    static final class Request {
        final int index;
        final Kind kind;
        final String method;
        final String path;
        final String arrayName;
        final int limit;
        final List<Integer> rows = new ArrayList<>();
        final List<String> elements = new ArrayList<>();
        /** The catalog item id of each row, for catalog requests; Braze names failing items by id. */
        final List<String> itemIds = new ArrayList<>();
        final Set<Integer> dependsOn = new TreeSet<>();

        Request(int index, Kind kind, String method, String path, String arrayName, int limit) {
            this.index = index;
            this.kind = kind;
            this.method = method;
            this.path = path;
            this.arrayName = arrayName;
            this.limit = limit;
        }

        /** The request body holding the elements at these positions (0-based, within this request). */
        String body(List<Integer> positions) {
            StringBuilder body = new StringBuilder(64 + positions.size() * 128);
            body.append("{\"").append(arrayName).append("\":[");
            for (int i = 0; i < positions.size(); i++) {
                if (i > 0) {
                    body.append(',');
                }
                body.append(elements.get(positions.get(i)));
            }
            return body.append("]}").toString();
        }

        @Override
        public String toString() {
            return method + " " + path + " (" + rows.size() + " " + arrayName + ")";
        }
    }

    /**
     * The plan for a batch.
     *
     * @param requests in creation order; a request depends only on requests before it
     * @param rejected outcomes decided without asking Braze, by row index (rows Braze cannot take)
     */
    record Plan(List<Request> requests, Map<Integer, RowOutcome> rejected) {
    }

    /**
     * Plans a batch.
     *
     * @param batch the rows, in {@code UPDATED_AT} order
     * @param catalogName the catalog, needed when the batch holds catalog rows
     * @param trackLimit the most objects per {@code /users/track} request, at most {@link #TRACK_LIMIT}
     * @return the plan
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} for catalog rows without a catalog name
     */
    static Plan plan(List<ResolvedRow> batch, Optional<String> catalogName, int trackLimit) {
        List<Request> requests = new ArrayList<>();
        Map<String, List<Request>> byArray = new HashMap<>();
        Map<Identifier, Integer> lastRequestOf = new HashMap<>();
        Map<Integer, RowOutcome> rejected = new LinkedHashMap<>();
        for (int row = 0; row < batch.size(); row++) {
            ResolvedRow resolved = batch.get(row);
            Target target = target(resolved, catalogName, trackLimit);
            if (target == null) {
                rejected.put(row, RowOutcome.rejected(RowErrorCode.IDENTIFIER_NOT_ALLOWED, "Braze deletes users by "
                        + "external_id, user_alias or braze_id only, not by " + resolved.identifier().typeName()));
                continue;
            }
            int previous = lastRequestOf.getOrDefault(resolved.identifier(), -1);
            List<Request> sameArray = byArray.computeIfAbsent(target.method + " " + target.path + " " + target.arrayName,
                    key -> new ArrayList<>());
            Request chosen = null;
            for (Request candidate : sameArray) {
                if (candidate.index > previous && candidate.rows.size() < candidate.limit) {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen == null) {
                chosen = new Request(requests.size(), target.kind, target.method, target.path, target.arrayName,
                        target.limit);
                requests.add(chosen);
                sameArray.add(chosen);
            }
            chosen.rows.add(row);
            chosen.elements.add(target.element);
            chosen.itemIds.add(resolved.identifier() instanceof Identifier.CatalogItemId id ? id.value() : "");
            if (previous >= 0) {
                chosen.dependsOn.add(previous);
            }
            lastRequestOf.put(resolved.identifier(), chosen.index);
        }
        return new Plan(List.copyOf(requests), rejected);
    }

    /** Where a row goes and as what; null when Braze cannot take it. */
    private record Target(Kind kind, String method, String path, String arrayName, int limit, String element) {
    }

    private static Target target(ResolvedRow row, Optional<String> catalogName, int trackLimit) {
        DataType type = row.dataType();
        return switch (type) {
            case ATTRIBUTES -> track("attributes", row, trackLimit);
            case EVENTS -> track("events", row, trackLimit);
            case PURCHASES -> track("purchases", row, trackLimit);
            case USER_DELETES -> delete(row);
            case CATALOG -> catalogItem(row, catalogName);
        };
    }

    private static Target catalogItem(ResolvedRow row, Optional<String> catalogName) {
        String catalog = catalogName.orElseThrow(() -> new CdiException(ErrorCode.INVALID_CONFIGURATION,
                "Braze sink: a catalog integration needs the catalogName setting (the Braze catalog its rows go to)"));
        String path = "/catalogs/" + URLEncoder.encode(catalog, StandardCharsets.UTF_8) + "/items";
        String id = ((Identifier.CatalogItemId) row.identifier()).value();
        if (row.deleted()) {
            return new Target(Kind.CATALOG_DELETE, "DELETE", path, "items", CATALOG_LIMIT, "{\"id\":" + quoted(id) + "}");
        }
        // The item id goes last so that it wins over an "id" key in the payload.
        return new Target(Kind.CATALOG_REPLACE, "PUT", path, "items", CATALOG_LIMIT,
                object(row.payloadJson().orElse("{}"), "\"id\":" + quoted(id)));
    }

    private static Target track(String arrayName, ResolvedRow row, int limit) {
        String identifier = userIdentifier(row.identifier());
        // Identifier and _update_existing_only go after the payload's keys so that they win over anything there;
        // the flag is always written, since Braze's default differs between external ids (create) and aliases.
        String ours = identifier + ",\"_update_existing_only\":" + (row.writeMode() == WriteMode.UPDATE_ONLY);
        return new Target(Kind.TRACK, "POST", "/users/track", arrayName, limit,
                object(row.payloadJson().orElse("{}"), ours));
    }

    private static String userIdentifier(Identifier identifier) {
        if (identifier instanceof Identifier.ExternalId id) {
            return "\"external_id\":" + quoted(id.value());
        } else if (identifier instanceof Identifier.UserAlias alias) {
            return "\"user_alias\":{\"alias_name\":" + quoted(alias.name()) + ",\"alias_label\":" + quoted(alias.label())
                    + "}";
        } else if (identifier instanceof Identifier.BrazeId id) {
            return "\"braze_id\":" + quoted(id.value());
        } else if (identifier instanceof Identifier.Email email) {
            return "\"email\":" + quoted(email.value());
        } else if (identifier instanceof Identifier.Phone phone) {
            return "\"phone\":" + quoted(phone.value());
        }
        throw new IllegalStateException("a user row targets " + identifier.typeName());
    }

    private static Target delete(ResolvedRow row) {
        Identifier identifier = row.identifier();
        if (identifier instanceof Identifier.ExternalId id) {
            return new Target(Kind.DELETE_USERS, "POST", "/users/delete", "external_ids", DELETE_LIMIT, quoted(id.value()));
        } else if (identifier instanceof Identifier.BrazeId id) {
            return new Target(Kind.DELETE_USERS, "POST", "/users/delete", "braze_ids", DELETE_LIMIT, quoted(id.value()));
        } else if (identifier instanceof Identifier.UserAlias alias) {
            return new Target(Kind.DELETE_USERS, "POST", "/users/delete", "user_aliases", DELETE_LIMIT,
                    "{\"alias_name\":" + quoted(alias.name()) + ",\"alias_label\":" + quoted(alias.label()) + "}");
        }
        return null;
    }

    /** The payload object with more members appended; the payload is a validated JSON object, spliced, not parsed. */
    private static String object(String payload, String members) {
        String text = payload.strip();
        String inner = text.substring(1, text.length() - 1).strip();
        return inner.isEmpty() ? "{" + members + "}" : "{" + inner + "," + members + "}";
    }

    static String quoted(String value) {
        return "\"" + new String(ENCODER.quoteAsString(value)) + "\"";
    }
}

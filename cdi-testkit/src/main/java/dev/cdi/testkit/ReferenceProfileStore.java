package dev.cdi.testkit;



import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdi.api.Identifier;
import dev.cdi.api.ResolvedRow;
import dev.cdi.api.RowErrorCode;
import dev.cdi.api.RowOutcome;
import dev.cdi.api.RowSink;
import dev.cdi.api.WriteMode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link RowSink} that applies resolved rows to user profiles and catalog items with the reference product's
 * semantics (SPEC section 6), so tests can assert on the end state rather than on the rows:
 * <ul>
 * <li>an external id or an alias creates the user when none has it; a braze id never creates one;</li>
 * <li>an email or phone targets the most recently updated profile that has it, and creates an email-only or
 * phone-only profile when none has it;</li>
 * <li>an update-only row (braze id, or "update existing users only") that targets no user is rejected with
 * {@link RowErrorCode#USER_NOT_FOUND};</li>
 * <li>attributes merge into the profile (a JSON {@code null} removes one), events and purchases are appended,
 * user deletes remove the profile, catalog rows replace or delete the whole item.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ReferenceProfileStore implements RowSink {
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<MutableProfile> profiles = new ArrayList<>();
    private final Map<String, JsonNode> catalogItems = new LinkedHashMap<>();
    private long sequence;

    /** Creates an empty store. */
    public ReferenceProfileStore() {
    }

    /**
     * A user profile as it stands.
     *
     * @param brazeId the internal id the store assigned
     * @param externalId the external id, if any
     * @param aliases the user aliases
     * @param email the email address, if any
     * @param phone the phone number, if any
     * @param attributes the custom attributes
     * @param events the events, in the order applied
     * @param purchases the purchases, in the order applied
     */
    public record Profile(String brazeId, Optional<String> externalId, Set<Identifier.UserAlias> aliases,
            Optional<String> email, Optional<String> phone, Map<String, JsonNode> attributes, List<JsonNode> events,
            List<JsonNode> purchases) {
    }

    private static final class MutableProfile {
        final String brazeId;
        String externalId;
        final Set<Identifier.UserAlias> aliases = new LinkedHashSet<>();
        String email;
        String phone;
        final Map<String, JsonNode> attributes = new LinkedHashMap<>();
        final List<JsonNode> events = new ArrayList<>();
        final List<JsonNode> purchases = new ArrayList<>();
        long lastUpdated;

        MutableProfile(String brazeId) {
            this.brazeId = brazeId;
        }

        Profile snapshot() {
            return new Profile(brazeId, Optional.ofNullable(externalId), Set.copyOf(aliases), Optional.ofNullable(email),
                    Optional.ofNullable(phone), Map.copyOf(attributes), List.copyOf(events), List.copyOf(purchases));
        }
    }

    /**
     * Adds an existing user, as if created before the sync.
     *
     * @param externalId its external id, or empty
     * @param email its email, or empty
     * @param phone its phone, or empty
     * @return the braze id assigned to it
     */
    public synchronized String addUser(Optional<String> externalId, Optional<String> email, Optional<String> phone) {
        MutableProfile profile = create();
        profile.externalId = externalId.orElse(null);
        profile.email = email.orElse(null);
        profile.phone = phone.orElse(null);
        return profile.brazeId;
    }

    @Override
    public synchronized CompletionStage<List<RowOutcome>> write(List<ResolvedRow> batch) {
        List<RowOutcome> outcomes = new ArrayList<>(batch.size());
        for (ResolvedRow row : batch) {
            outcomes.add(apply(row));
        }
        return CompletableFuture.completedFuture(List.copyOf(outcomes));
    }

    private RowOutcome apply(ResolvedRow row) {
        switch (row.dataType()) {
            case CATALOG -> {
                String id = ((Identifier.CatalogItemId) row.identifier()).value();
                if (row.deleted()) {
                    catalogItems.remove(id);
                } else {
                    catalogItems.put(id, parse(row.payloadJson().orElseThrow()));
                }
                return RowOutcome.accepted();
            }
            case USER_DELETES -> {
                Optional<MutableProfile> target = existing(row.identifier());
                if (target.isEmpty()) {
                    return RowOutcome.rejected(RowErrorCode.USER_NOT_FOUND, "No user to delete for " + describe(row.identifier()));
                }
                profiles.remove(target.get());
                return RowOutcome.accepted();
            }
            case ATTRIBUTES, EVENTS, PURCHASES -> {
                Optional<MutableProfile> target = existing(row.identifier());
                boolean mayCreate = row.writeMode() == WriteMode.CREATE_OR_UPDATE
                        && !(row.identifier() instanceof Identifier.BrazeId);
                if (target.isEmpty() && !mayCreate) {
                    return RowOutcome.rejected(RowErrorCode.USER_NOT_FOUND, "No existing user for " + describe(row.identifier()));
                }
                MutableProfile profile = target.orElseGet(() -> createFor(row.identifier()));
                profile.lastUpdated = ++sequence;
                JsonNode payload = parse(row.payloadJson().orElseThrow());
                switch (row.dataType()) {
                    case ATTRIBUTES -> payload.properties().forEach(field -> {
                        if (field.getValue().isNull()) {
                            profile.attributes.remove(field.getKey());
                        } else {
                            profile.attributes.put(field.getKey(), field.getValue());
                        }
                    });
                    case EVENTS -> profile.events.add(payload);
                    case PURCHASES -> profile.purchases.add(payload);
                    case USER_DELETES, CATALOG -> throw new IllegalStateException("handled above");
                }
                return RowOutcome.accepted();
            }
        }
        throw new IllegalStateException("unknown data type " + row.dataType());
    }

    private Optional<MutableProfile> existing(Identifier identifier) {
        if (identifier instanceof Identifier.ExternalId id) {
            return profiles.stream().filter(p -> id.value().equals(p.externalId)).findFirst();
        }
        if (identifier instanceof Identifier.UserAlias alias) {
            return profiles.stream().filter(p -> p.aliases.contains(alias)).findFirst();
        }
        if (identifier instanceof Identifier.BrazeId id) {
            return profiles.stream().filter(p -> id.value().equals(p.brazeId)).findFirst();
        }
        if (identifier instanceof Identifier.Email email) {
            return profiles.stream().filter(p -> email.value().equals(p.email))
                    .max(Comparator.comparingLong(p -> p.lastUpdated));
        }
        if (identifier instanceof Identifier.Phone phone) {
            return profiles.stream().filter(p -> phone.value().equals(p.phone))
                    .max(Comparator.comparingLong(p -> p.lastUpdated));
        }
        throw new IllegalArgumentException("not a user identifier: " + identifier.typeName());
    }

    private MutableProfile createFor(Identifier identifier) {
        MutableProfile profile = create();
        if (identifier instanceof Identifier.ExternalId id) {
            profile.externalId = id.value();
        } else if (identifier instanceof Identifier.UserAlias alias) {
            profile.aliases.add(alias);
        } else if (identifier instanceof Identifier.Email email) {
            profile.email = email.value();
        } else if (identifier instanceof Identifier.Phone phone) {
            profile.phone = phone.value();
        }
        return profile;
    }

    private MutableProfile create() {
        MutableProfile profile = new MutableProfile("braze-" + (profiles.size() + 1) + "-" + (++sequence));
        profile.lastUpdated = sequence;
        profiles.add(profile);
        return profile;
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("A resolved payload did not parse; the pipeline validates it first", e);
        }
    }

    private static String describe(Identifier identifier) {
        return identifier.typeName();
    }

    /**
     * Every profile, in creation order.
     *
     * @return snapshots of the profiles
     */
    public synchronized List<Profile> profiles() {
        return profiles.stream().map(MutableProfile::snapshot).toList();
    }

    /**
     * The profile with an external id.
     *
     * @param externalId the id
     * @return its snapshot, if it exists
     */
    public synchronized Optional<Profile> byExternalId(String externalId) {
        return existing(new Identifier.ExternalId(externalId)).map(MutableProfile::snapshot);
    }

    /**
     * The profiles with an email address.
     *
     * @param email the address, as resolved
     * @return their snapshots
     */
    public synchronized List<Profile> byEmail(String email) {
        return profiles.stream().filter(p -> email.equals(p.email)).map(MutableProfile::snapshot).toList();
    }

    /**
     * The catalog items.
     *
     * @return a copy of the items by id
     */
    public synchronized Map<String, JsonNode> catalogItems() {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        catalogItems.forEach((id, item) -> copy.put(id, ((ObjectNode) item).deepCopy()));
        return copy;
    }

}

package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ConnectorCapability;
import dev.cdi.api.ConnectorSettings;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.api.SyncError;
import dev.cdi.api.SyncSpec;
import dev.cdi.core.ConnectionTestResult;
import dev.cdi.core.ConnectionTester;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.ErrorAdvice;
import dev.cdi.core.registry.RegisteredIntegration.TestOutcome;
import dev.cdi.core.registry.RegistryChange.DeleteCredential;
import dev.cdi.core.registry.RegistryChange.DeleteIntegration;
import dev.cdi.core.registry.RegistryChange.SaveCredential;
import dev.cdi.core.registry.RegistryChange.SaveIntegration;
import dev.cdi.core.registry.RegistryChange.SaveWorkspace;
import dev.cdi.core.scheduler.IntegrationCatalog;
import dev.cdi.core.scheduler.ScheduledIntegration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The integrations of SPEC section 9, kept in a {@link RegistryStore}: workspaces, credentials (kept and stored only
 * encrypted, decrypted when a connector's settings are built) and integrations with their life cycle. An integration
 * is created as {@link IntegrationStatus#DRAFT}, becomes {@link IntegrationStatus#ACTIVE} only after a successful
 * connection test, can be paused and resumed, and goes back to draft when its connection, table or credential
 * changes. As an {@link IntegrationCatalog} it gives the scheduler its active integrations with their secrets.
 *
 * <p>The store is the source of truth, and several registries (in one process or in several service instances)
 * may share it: every read asks the store for its revision and reloads when another registry has committed since,
 * and every change is decided on a fresh snapshot and committed only if the store's revision has not moved
 * meanwhile (compare-and-set). When it has, the change is decided again on the new snapshot, so that its rules
 * are checked against what is really stored: pausing an integration that another instance has just updated
 * pauses the updated integration, and a connection test's outcome is kept only if the integration's connection
 * and credential are still the ones tested. A change that carries what its caller read,
 * {@link #update(String, long, IntegrationDefinition)}, is refused with {@link ErrorCode#CONCURRENT_CHANGE} when
 * the integration has changed since that read.
 *
 * <p>Every refusal is a {@link CdiException} with {@link ErrorCode#INVALID_CONFIGURATION} (or
 * {@link ErrorCode#UNKNOWN_CONNECTOR} for a connector that is not registered, {@link ErrorCode#CONCURRENT_CHANGE}
 * for a stale update) whose message names the integration, and never contains a secret value. When the store fails
 * (a {@link CdiException} such as {@link ErrorCode#STATE_STORE_FAILED}) nothing is changed.
 *
 * <p>Thread-safe: every method may be called from any thread at any time. A connection test runs without holding
 * the registry's lock.
 */
public final class IntegrationRegistry implements IntegrationCatalog {
    private static final String USER_SETTING = "user";
    private static final int COMMIT_ATTEMPTS = 20;

    private final ConnectorRegistry connectors;
    private final ConnectionTester tester;
    private final SecretCipher cipher;
    private final RegistryStore store;
    private final Object lock = new Object();
    private State cached;

    /**
     * An empty registry kept only in memory (an {@link InMemoryRegistryStore}).
     *
     * @param connectors the connectors integrations may use
     * @param cipher encrypts credentials at rest with the application's key
     */
    public IntegrationRegistry(ConnectorRegistry connectors, SecretCipher cipher) {
        this(connectors, cipher, new InMemoryRegistryStore());
    }

    /**
     * A registry over a store, which other registries may share. The store is read once here so that an unreadable
     * store fails at once. Stored credentials are not decrypted here: a cipher with another key fails only when a
     * credential is used.
     *
     * @param connectors the connectors integrations may use
     * @param cipher encrypts credentials at rest with the application's key
     * @param store where workspaces, encrypted credentials and integrations are kept
     * @throws CdiException {@code INVALID_CONFIGURATION} when a stored credential or integration names a workspace
     *         the store does not hold; the store's own exception when it cannot be read
     */
    public IntegrationRegistry(ConnectorRegistry connectors, SecretCipher cipher, RegistryStore store) {
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.store = requireNonNull(store, "store is null");
        this.tester = new ConnectionTester(connectors);
        synchronized (lock) {
            current();
        }
    }

    /**
     * Adds a workspace.
     *
     * @param workspace the workspace
     * @throws CdiException {@code INVALID_CONFIGURATION} when a workspace of that name exists
     */
    public void addWorkspace(Workspace workspace) {
        requireNonNull(workspace, "workspace is null");
        change(state -> {
            if (state.workspaces.containsKey(workspace.name())) {
                throw invalid("Workspace '" + workspace.name() + "' already exists");
            }
            return Decision.of(null, List.of(new SaveWorkspace(workspace)));
        });
    }

    /**
     * A workspace by name.
     *
     * @param name the workspace's name
     * @return the workspace, or empty when there is none of that name
     */
    public Optional<Workspace> workspace(String name) {
        requireNonNull(name, "name is null");
        return read(state -> Optional.ofNullable(state.workspaces.get(name)));
    }

    /**
     * Stores a credential, encrypted.
     *
     * @param credential the credential in clear
     * @throws CdiException {@code INVALID_CONFIGURATION} when a credential of that name exists or its workspace
     *         does not; {@code UNKNOWN_CONNECTOR} when its connector is not registered
     */
    public void addCredential(Credential credential) {
        requireNonNull(credential, "credential is null");
        EncryptedCredential encrypted = EncryptedCredential.encrypt(credential, cipher);
        change(state -> {
            if (state.credentials.containsKey(credential.name())) {
                throw invalid("Credential '" + credential.name() + "' already exists; choose another name");
            }
            if (!state.workspaces.containsKey(credential.workspace())) {
                throw invalid("Credential '" + credential.name() + "': no workspace named '" + credential.workspace()
                        + "'; add the workspace first");
            }
            provider("Credential '" + credential.name() + "'", credential.connector());
            return Decision.of(null, List.of(new SaveCredential(encrypted)));
        });
    }

    /**
     * Deletes a credential. Draft and paused integrations that use it go back to draft and must be given another
     * credential and tested again before they run.
     *
     * @param name the credential's name
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such credential, or while an active
     *         integration uses it (the message names them all)
     */
    public void deleteCredential(String name) {
        requireNonNull(name, "name is null");
        change(state -> {
            if (!state.credentials.containsKey(name)) {
                throw invalid("No credential named '" + name + "'");
            }
            Set<String> activeUsers = new TreeSet<>();
            state.integrations.values().stream()
                    .filter(entry -> entry.definition().credential().equals(name)
                            && entry.status() == IntegrationStatus.ACTIVE)
                    .forEach(entry -> activeUsers.add(entry.name()));
            if (!activeUsers.isEmpty()) {
                throw invalid("Credential '" + name + "' is used by active integration(s) " + activeUsers
                        + "; pause them or give them another credential before deleting it");
            }
            List<RegistryChange> changes = new ArrayList<>();
            for (RegisteredIntegration entry : state.integrations.values()) {
                if (entry.definition().credential().equals(name)) {
                    changes.add(new SaveIntegration(new RegisteredIntegration(entry.definition(),
                            IntegrationStatus.DRAFT, TestOutcome.NOT_TESTED, state.nextVersion())));
                }
            }
            changes.add(new DeleteCredential(name));
            return Decision.of(null, changes);
        });
    }

    /**
     * A credential as stored: its values encrypted.
     *
     * @param name the credential's name
     * @return the encrypted credential, or empty when there is none of that name
     */
    public Optional<EncryptedCredential> encryptedCredential(String name) {
        requireNonNull(name, "name is null");
        return read(state -> Optional.ofNullable(state.credentials.get(name)));
    }

    /**
     * Creates an integration as a draft: it does not run until tested and activated.
     *
     * @param definition the integration
     * @return the registered draft
     * @throws CdiException {@code INVALID_CONFIGURATION} when the name is taken, the workspace or credential does
     *         not exist, the credential belongs to another workspace or connector, a connection setting is secret
     *         or also given by the credential, the workspace already has an integration on the table, the
     *         connector refuses the settings, or (for a connector with
     *         {@link ConnectorCapability#ONE_USER_PER_WORKSPACE}) the credential's {@code user} already serves
     *         another workspace; {@code UNKNOWN_CONNECTOR} when the connector is not registered
     */
    public RegisteredIntegration create(IntegrationDefinition definition) {
        requireNonNull(definition, "definition is null");
        return change(state -> {
            if (state.integrations.containsKey(definition.name())) {
                throw invalid("Integration '" + definition.name() + "' already exists; update it or choose another name");
            }
            check(state, definition);
            return Decision.save(new RegisteredIntegration(definition, IntegrationStatus.DRAFT, TestOutcome.NOT_TESTED,
                    state.nextVersion()));
        });
    }

    /**
     * Runs a connection test of an integration (see {@link ConnectionTester}) and remembers whether it passed. A
     * failed test does not stop an integration that is already active. The outcome is kept only when the
     * integration's connection, table and credential are still the ones tested (another registry may have changed
     * them while the test ran); its status is left as it is now.
     *
     * @param name the integration's name
     * @return what the test found; a failure of the warehouse or the settings is a {@link ConnectionTestResult.Failed}
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration; the store's exception
     *         when the outcome cannot be stored
     */
    public ConnectionTestResult test(String name) {
        requireNonNull(name, "name is null");
        IntegrationDefinition tested;
        Optional<EncryptedCredential> testedCredential;
        ConnectionTestResult result;
        SyncSpec spec = null;
        synchronized (lock) {
            State state = current();
            tested = state.integration(name).definition();
            testedCredential = Optional.ofNullable(state.credentials.get(tested.credential()));
            try {
                spec = spec(state, tested);
                result = null;
            } catch (CdiException failure) {
                result = new ConnectionTestResult.Failed(SyncError.of(failure), ErrorAdvice.forCategory(failure.category()));
            }
        }
        if (result == null) {
            result = tester.test(spec);
        }
        TestOutcome outcome = result.passed() ? TestOutcome.PASSED : TestOutcome.FAILED;
        change(state -> {
            RegisteredIntegration now = state.integrations.get(name);
            if (now == null || now.lastTest() == outcome || !sameConnection(now.definition(), tested)
                    || !Optional.ofNullable(state.credentials.get(tested.credential())).equals(testedCredential)) {
                return Decision.of(null, List.of());
            }
            return Decision.save(new RegisteredIntegration(now.definition(), now.status(), outcome,
                    state.nextVersion()));
        });
        return result;
    }

    /**
     * Makes an integration active so that the scheduler runs it; an active one stays so.
     *
     * @param name the integration's name
     * @return the integration
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration, or its last
     *         connection test did not pass since it was created or its connection changed
     */
    public RegisteredIntegration activate(String name) {
        requireNonNull(name, "name is null");
        return change(state -> {
            RegisteredIntegration entry = state.integration(name);
            switch (entry.lastTest()) {
                case NOT_TESTED:
                    throw invalid("Integration '" + name + "' cannot be activated: it has not passed a connection test"
                            + " since it was created or its connection changed; test it first");
                case FAILED:
                    throw invalid("Integration '" + name + "' cannot be activated: its last connection test failed;"
                            + " fix what the test reported and test it again");
                case PASSED:
                    break;
            }
            return withStatus(state, entry, IntegrationStatus.ACTIVE);
        });
    }

    /**
     * Pauses an active integration so that the scheduler no longer runs it; a paused one stays so.
     *
     * @param name the integration's name
     * @return the integration
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration or it is a draft
     */
    public RegisteredIntegration pause(String name) {
        requireNonNull(name, "name is null");
        return change(state -> {
            RegisteredIntegration entry = state.integration(name);
            if (entry.status() == IntegrationStatus.DRAFT) {
                throw invalid("Integration '" + name + "' is a draft and does not run, so it cannot be paused");
            }
            return withStatus(state, entry, IntegrationStatus.PAUSED);
        });
    }

    /**
     * Makes a paused integration active again; an active one stays so.
     *
     * @param name the integration's name
     * @return the integration
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration or it is a draft
     */
    public RegisteredIntegration resume(String name) {
        requireNonNull(name, "name is null");
        return change(state -> {
            RegisteredIntegration entry = state.integration(name);
            if (entry.status() == IntegrationStatus.DRAFT) {
                throw invalid("Integration '" + name + "' is a draft, so it cannot be resumed; test and activate it");
            }
            return withStatus(state, entry, IntegrationStatus.ACTIVE);
        });
    }

    /**
     * Replaces an integration's definition, checked as in {@link #create}, whatever it is now (the last update
     * wins). A change of workspace, connector, credential, connection settings or table sends it back to draft, to
     * be tested and activated again; other changes (schedule, notifications, options) keep its status. To refuse
     * the update when someone changed the integration since it was read, use
     * {@link #update(String, long, IntegrationDefinition)}.
     *
     * @param name the integration's name
     * @param definition the new definition, of the same name and data type
     * @return the integration
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration, the definition renames
     *         it or changes its data type, or the definition is refused as in {@link #create}
     */
    public RegisteredIntegration update(String name, IntegrationDefinition definition) {
        requireNonNull(name, "name is null");
        requireNonNull(definition, "definition is null");
        return change(state -> replace(state, state.integration(name), definition));
    }

    /**
     * Replaces an integration's definition as {@link #update(String, IntegrationDefinition)} does, only if the
     * integration is still at the version its caller read: a change made meanwhile (here or by another instance
     * sharing the store) is never silently undone.
     *
     * @param name the integration's name
     * @param expectedVersion the {@link RegisteredIntegration#version()} the new definition was decided on
     * @param definition the new definition, of the same name and data type
     * @return the integration
     * @throws CdiException {@code CONCURRENT_CHANGE} when the integration's version is no longer
     *         {@code expectedVersion} (nothing is written); otherwise as {@link #update(String, IntegrationDefinition)}
     */
    public RegisteredIntegration update(String name, long expectedVersion, IntegrationDefinition definition) {
        requireNonNull(name, "name is null");
        requireNonNull(definition, "definition is null");
        return change(state -> {
            RegisteredIntegration entry = state.integration(name);
            if (entry.version() != expectedVersion) {
                throw new CdiException(ErrorCode.CONCURRENT_CHANGE, "Integration '" + name + "' was changed since"
                        + " version " + expectedVersion + " was read (it is at version " + entry.version()
                        + ", " + entry.status() + "); nothing was written: read it again and repeat the update");
            }
            return replace(state, entry, definition);
        });
    }

    private Decision<RegisteredIntegration> replace(State state, RegisteredIntegration entry,
            IntegrationDefinition definition) {
        String name = entry.name();
        IntegrationDefinition current = entry.definition();
        if (!definition.name().equals(name)) {
            throw invalid("Integration '" + name + "' cannot be renamed to '" + definition.name()
                    + "'; create a new integration instead");
        }
        if (definition.dataType() != current.dataType()) {
            throw invalid("Integration '" + name + "' syncs " + current.dataType().configName()
                    + "; its data type cannot change to " + definition.dataType().configName()
                    + ". Create a new integration for " + definition.dataType().configName());
        }
        check(state, definition);
        if (definition.equals(current)) {
            return Decision.of(entry, List.of());
        }
        return Decision.save(sameConnection(definition, current)
                ? new RegisteredIntegration(definition, entry.status(), entry.lastTest(), state.nextVersion())
                : new RegisteredIntegration(definition, IntegrationStatus.DRAFT, TestOutcome.NOT_TESTED,
                        state.nextVersion()));
    }

    /**
     * Deletes an integration; a run already started is not stopped.
     *
     * @param name the integration's name
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration
     */
    public void delete(String name) {
        requireNonNull(name, "name is null");
        change(state -> {
            state.integration(name);
            return Decision.of(null, List.of(new DeleteIntegration(name)));
        });
    }

    /**
     * An integration by name, as stored now.
     *
     * @param name the integration's name
     * @return the integration, or empty when there is none of that name
     */
    public Optional<RegisteredIntegration> get(String name) {
        requireNonNull(name, "name is null");
        return read(state -> Optional.ofNullable(state.integrations.get(name)));
    }

    /**
     * Every integration with its status, by name, as stored now.
     *
     * @return the integrations
     */
    public List<RegisteredIntegration> list() {
        return read(state -> List.copyOf(state.integrations.values()));
    }

    /**
     * The active integrations by name, each with its credential's secrets merged into its connector settings (the
     * provider's secret keys and the credential's keys marked secret) and its workspace's time zone.
     *
     * @return the active integrations
     * @throws CdiException {@code INVALID_CONFIGURATION} when a credential cannot be decrypted
     */
    @Override
    public List<ScheduledIntegration> active() {
        return read(state -> {
            List<ScheduledIntegration> active = new ArrayList<>();
            for (RegisteredIntegration entry : state.integrations.values()) {
                if (entry.status() == IntegrationStatus.ACTIVE) {
                    active.add(scheduled(state, entry.definition()));
                }
            }
            return List.copyOf(active);
        });
    }

    /**
     * An active integration by name, decrypting only its credential.
     *
     * @param integration the name
     * @return the integration, or empty when there is no active one of that name
     */
    @Override
    public Optional<ScheduledIntegration> find(String integration) {
        requireNonNull(integration, "integration is null");
        return read(state -> {
            RegisteredIntegration entry = state.integrations.get(integration);
            return entry == null || entry.status() != IntegrationStatus.ACTIVE ? Optional.empty()
                    : Optional.of(scheduled(state, entry.definition()));
        });
    }

    private static Decision<RegisteredIntegration> withStatus(State state, RegisteredIntegration entry,
            IntegrationStatus status) {
        return entry.status() == status ? Decision.of(entry, List.of())
                : Decision.save(new RegisteredIntegration(entry.definition(), status, entry.lastTest(),
                        state.nextVersion()));
    }

    // What a connection test depends on: a change to any of these makes its outcome stale.
    private static boolean sameConnection(IntegrationDefinition first, IntegrationDefinition second) {
        return first.workspace().equals(second.workspace())
                && first.connector().equals(second.connector())
                && first.credential().equals(second.credential())
                && first.connectionSettings().equals(second.connectionSettings())
                && first.table().equals(second.table());
    }

    private <T> T read(Function<State, T> reader) {
        synchronized (lock) {
            return reader.apply(current());
        }
    }

    /**
     * Decides a change on the current snapshot and commits it if the store has not moved on meanwhile; otherwise
     * decides again on the new snapshot, so every rule is checked against what is really stored.
     */
    private <T> T change(Function<State, Decision<T>> decide) {
        synchronized (lock) {
            for (int attempt = 1; ; attempt++) {
                State state = current();
                Decision<T> decision = decide.apply(state);
                if (decision.changes().isEmpty() || store.commitRegistry(state.revision, decision.changes())) {
                    return decision.result();
                }
                if (attempt == COMMIT_ATTEMPTS) {
                    throw new CdiException(ErrorCode.CONCURRENT_CHANGE, "The integrations registry was changed by"
                            + " others " + COMMIT_ATTEMPTS + " times while this change was being made; nothing was"
                            + " written: try again");
                }
            }
        }
    }

    // Called under the lock. One cheap revision query per read; the whole registry is reloaded only after a commit.
    private State current() {
        if (cached == null || cached.revision != store.registryRevision()) {
            cached = new State(store.loadRegistry());
        }
        return cached;
    }

    private ScheduledIntegration scheduled(State state, IntegrationDefinition definition) {
        return new ScheduledIntegration(spec(state, definition), definition.schedule(),
                state.workspaces.get(definition.workspace()).zone(), definition.notifications());
    }

    private SyncSpec spec(State state, IntegrationDefinition definition) {
        return SyncSpec.builder()
                .integration(definition.name())
                .connector(definition.connector(), settings(state, definition))
                .table(definition.table())
                .dataType(definition.dataType())
                .options(definition.options())
                .build();
    }

    private ConnectorSettings settings(State state, IntegrationDefinition definition) {
        EncryptedCredential encrypted = state.credentials.get(definition.credential());
        if (encrypted == null) {
            throw invalid("Integration '" + definition.name() + "': credential '" + definition.credential()
                    + "' was deleted; update the integration with another credential");
        }
        return merge(definition, provider(integrationContext(definition), definition.connector()),
                encrypted.decrypt(cipher));
    }

    private static ConnectorSettings merge(IntegrationDefinition definition, SourceConnectorProvider provider,
            Credential credential) {
        Map<String, String> values = new HashMap<>(definition.connectionSettings());
        values.putAll(credential.secretValues());
        Set<String> secretKeys = new HashSet<>(provider.secretSettingKeys());
        secretKeys.addAll(credential.secretValues().keySet());
        return new ConnectorSettings(values, secretKeys);
    }

    // Every rule create and update share.
    private void check(State state, IntegrationDefinition definition) {
        String context = integrationContext(definition);
        if (!state.workspaces.containsKey(definition.workspace())) {
            throw invalid(context + ": no workspace named '" + definition.workspace() + "'; add the workspace first");
        }
        EncryptedCredential encrypted = state.credentials.get(definition.credential());
        if (encrypted == null) {
            throw invalid(context + ": no credential named '" + definition.credential() + "'; add the credential first");
        }
        if (!encrypted.workspace().equals(definition.workspace())) {
            throw invalid(context + " is in workspace '" + definition.workspace() + "' but credential '"
                    + encrypted.name() + "' belongs to workspace '" + encrypted.workspace() + "'");
        }
        SourceConnectorProvider provider = provider(context, definition.connector());
        if (!encrypted.connector().equals(definition.connector())) {
            throw invalid(context + " uses connector '" + definition.connector() + "' but credential '"
                    + encrypted.name() + "' is for connector '" + encrypted.connector() + "'");
        }
        Set<String> secretInSettings = new TreeSet<>(definition.connectionSettings().keySet());
        secretInSettings.retainAll(provider.secretSettingKeys());
        if (!secretInSettings.isEmpty()) {
            throw invalid(context + ": connection setting(s) " + secretInSettings + " are secret; keep them in the"
                    + " credential, not in the connection settings");
        }
        Set<String> givenTwice = new TreeSet<>(definition.connectionSettings().keySet());
        givenTwice.retainAll(encrypted.encryptedValues().keySet());
        if (!givenTwice.isEmpty()) {
            throw invalid(context + ": setting(s) " + givenTwice + " are given both by the connection settings and"
                    + " by credential '" + encrypted.name() + "'; give each once");
        }
        for (RegisteredIntegration other : state.integrations.values()) {
            IntegrationDefinition existing = other.definition();
            if (!existing.name().equals(definition.name()) && existing.workspace().equals(definition.workspace())
                    && existing.connector().equals(definition.connector())
                    && sameTable(existing, definition)) {
                throw invalid(context + ": workspace '" + definition.workspace() + "' already has integration '"
                        + existing.name() + "' on table " + existing.table()
                        + "; one integration per source table or view in a workspace");
            }
        }
        ConnectorSettings settings = merge(definition, provider, encrypted.decrypt(cipher));
        if (provider.capabilities().contains(ConnectorCapability.ONE_USER_PER_WORKSPACE)) {
            checkOneWorkspacePerUser(state, definition, settings);
        }
        try {
            provider.validate(settings);
        } catch (CdiException refused) {
            throw new CdiException(refused.errorCode(), context + ": " + refused.getMessage(), refused);
        }
    }

    private void checkOneWorkspacePerUser(State state, IntegrationDefinition definition, ConnectorSettings settings) {
        Optional<String> user = settings.get(USER_SETTING).map(IntegrationRegistry::foldCase);
        if (user.isEmpty()) {
            return;
        }
        for (RegisteredIntegration other : state.integrations.values()) {
            IntegrationDefinition existing = other.definition();
            EncryptedCredential otherCredential = state.credentials.get(existing.credential());
            if (existing.name().equals(definition.name()) || existing.workspace().equals(definition.workspace())
                    || !existing.connector().equals(definition.connector()) || otherCredential == null) {
                continue;
            }
            Map<String, String> otherValues = new HashMap<>(existing.connectionSettings());
            otherValues.putAll(otherCredential.decrypt(cipher).secretValues());
            if (Optional.ofNullable(otherValues.get(USER_SETTING)).map(IntegrationRegistry::foldCase).equals(user)) {
                // The user's name is not shown: it may come from the credential, whose values are all secret.
                throw invalid(integrationContext(definition) + ": the " + definition.connector() + " user of credential '"
                        + definition.credential() + "' already serves workspace '" + existing.workspace()
                        + "' (integration '" + existing.name() + "'); a " + definition.connector()
                        + " user may serve only one workspace, so use another user for workspace '"
                        + definition.workspace() + "'");
            }
        }
    }

    // Warehouses fold unquoted names (Snowflake to upper case), so names differing only in case are one object.
    private static boolean sameTable(IntegrationDefinition first, IntegrationDefinition second) {
        return foldCase(first.table().toString()).equals(foldCase(second.table().toString()));
    }

    private static String foldCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private SourceConnectorProvider provider(String context, String connector) {
        try {
            return connectors.provider(connector);
        } catch (CdiException unknown) {
            throw new CdiException(unknown.errorCode(), context + ": " + unknown.getMessage(), unknown);
        }
    }

    private static String integrationContext(IntegrationDefinition definition) {
        return "Integration '" + definition.name() + "'";
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** What the store held at one revision, indexed by name. */
    private static final class State {
        final long revision;
        final Map<String, Workspace> workspaces = new HashMap<>();
        final Map<String, EncryptedCredential> credentials = new HashMap<>();
        final Map<String, RegisteredIntegration> integrations = new TreeMap<>();

        State(RegistryStore.Snapshot snapshot) {
            this.revision = snapshot.revision();
            snapshot.workspaces().forEach(workspace -> workspaces.put(workspace.name(), workspace));
            for (EncryptedCredential credential : snapshot.credentials()) {
                requireStoredWorkspace("Stored credential '" + credential.name() + "'", credential.workspace());
                credentials.put(credential.name(), credential);
            }
            for (RegisteredIntegration integration : snapshot.integrations()) {
                requireStoredWorkspace("Stored integration '" + integration.name() + "'",
                        integration.definition().workspace());
                integrations.put(integration.name(), integration);
            }
        }

        private void requireStoredWorkspace(String context, String workspace) {
            if (!workspaces.containsKey(workspace)) {
                throw invalid(context + " belongs to workspace '" + workspace + "', which the store does not hold");
            }
        }

        /** The version a change committed on this state gives what it saves. */
        long nextVersion() {
            return revision + 1;
        }

        RegisteredIntegration integration(String name) {
            RegisteredIntegration integration = integrations.get(name);
            if (integration == null) {
                throw invalid("No integration named '" + name + "'");
            }
            return integration;
        }
    }

    /** What a change decided: the caller's answer, and what to commit for it (nothing, when nothing changes). */
    private record Decision<T>(T result, List<RegistryChange> changes) {

        static <T> Decision<T> of(T result, List<RegistryChange> changes) {
            return new Decision<>(result, changes);
        }

        static Decision<RegisteredIntegration> save(RegisteredIntegration integration) {
            return new Decision<>(integration, List.of(new SaveIntegration(integration)));
        }
    }
}

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

/**
 * The integrations of SPEC section 9, held in memory and written through to a {@link RegistryStore}: workspaces,
 * credentials (kept and stored only encrypted, decrypted when a connector's settings are built) and integrations
 * with their life cycle. An integration is created as
 * {@link IntegrationStatus#DRAFT}, becomes {@link IntegrationStatus#ACTIVE} only after a successful connection test,
 * can be paused and resumed, and goes back to draft when its connection, table or credential changes. As an
 * {@link IntegrationCatalog} it gives the scheduler its active integrations with their secrets.
 *
 * <p>Every refusal is a {@link CdiException} with {@link ErrorCode#INVALID_CONFIGURATION} (or
 * {@link ErrorCode#UNKNOWN_CONNECTOR} for a connector that is not registered) whose message names the integration,
 * and never contains a secret value. A change is written to the store before it becomes visible; when the store
 * fails (a {@link CdiException} such as {@link ErrorCode#STATE_STORE_FAILED}) the registry is left as it was.
 * The store is read once, at construction: one registry per store, since changes made through another registry
 * over the same store are not seen.
 *
 * <p>Thread-safe: every method may be called from any thread at any time. Changes are atomic; a connection test
 * runs without holding the registry's lock, and its outcome is kept only if the integration's connection did not
 * change meanwhile.
 */
public final class IntegrationRegistry implements IntegrationCatalog {
    private static final String USER_SETTING = "user";

    private final ConnectorRegistry connectors;
    private final ConnectionTester tester;
    private final SecretCipher cipher;
    private final RegistryStore store;
    private final Object lock = new Object();
    private final Map<String, Workspace> workspaces = new HashMap<>();
    private final Map<String, EncryptedCredential> credentials = new HashMap<>();
    private final Map<String, Entry> integrations = new TreeMap<>();
    private long nextVersion;

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
     * A registry holding what the store holds, writing every later change through to it. Stored credentials are
     * not decrypted here: a cipher with another key fails only when a credential is used.
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
        RegistryStore.Contents contents = store.loadRegistry();
        contents.workspaces().forEach(workspace -> workspaces.put(workspace.name(), workspace));
        for (EncryptedCredential credential : contents.credentials()) {
            requireStoredWorkspace("Stored credential '" + credential.name() + "'", credential.workspace());
            credentials.put(credential.name(), credential);
        }
        for (RegisteredIntegration integration : contents.integrations()) {
            requireStoredWorkspace("Stored integration '" + integration.name() + "'",
                    integration.definition().workspace());
            integrations.put(integration.name(), new Entry(integration.definition(), integration.status(),
                    integration.lastTest(), nextVersion++));
        }
    }

    private void requireStoredWorkspace(String context, String workspace) {
        if (!workspaces.containsKey(workspace)) {
            throw invalid(context + " belongs to workspace '" + workspace + "', which the store does not hold");
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
        synchronized (lock) {
            if (workspaces.containsKey(workspace.name())) {
                throw invalid("Workspace '" + workspace.name() + "' already exists");
            }
            store.saveWorkspace(workspace);
            workspaces.put(workspace.name(), workspace);
        }
    }

    /**
     * A workspace by name.
     *
     * @param name the workspace's name
     * @return the workspace, or empty when there is none of that name
     */
    public Optional<Workspace> workspace(String name) {
        requireNonNull(name, "name is null");
        synchronized (lock) {
            return Optional.ofNullable(workspaces.get(name));
        }
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
        synchronized (lock) {
            if (credentials.containsKey(credential.name())) {
                throw invalid("Credential '" + credential.name() + "' already exists; choose another name");
            }
            if (!workspaces.containsKey(credential.workspace())) {
                throw invalid("Credential '" + credential.name() + "': no workspace named '" + credential.workspace()
                        + "'; add the workspace first");
            }
            provider("Credential '" + credential.name() + "'", credential.connector());
            store.saveCredential(encrypted);
            credentials.put(credential.name(), encrypted);
        }
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
        synchronized (lock) {
            if (!credentials.containsKey(name)) {
                throw invalid("No credential named '" + name + "'");
            }
            Set<String> activeUsers = new TreeSet<>();
            integrations.values().stream()
                    .filter(entry -> entry.definition.credential().equals(name) && entry.status == IntegrationStatus.ACTIVE)
                    .forEach(entry -> activeUsers.add(entry.definition.name()));
            if (!activeUsers.isEmpty()) {
                throw invalid("Credential '" + name + "' is used by active integration(s) " + activeUsers
                        + "; pause them or give them another credential before deleting it");
            }
            // Users go back to draft before the credential goes, so a failure midway never leaves one runnable.
            Map<String, Entry> changed = new TreeMap<>();
            for (Entry entry : integrations.values()) {
                if (entry.definition.credential().equals(name)) {
                    Entry draft = entry.changed(entry.definition, IntegrationStatus.DRAFT, nextVersion++);
                    store.saveIntegration(draft.view());
                    changed.put(entry.definition.name(), draft);
                }
            }
            store.deleteCredential(name);
            integrations.putAll(changed);
            credentials.remove(name);
        }
    }

    /**
     * A credential as stored: its values encrypted.
     *
     * @param name the credential's name
     * @return the encrypted credential, or empty when there is none of that name
     */
    public Optional<EncryptedCredential> encryptedCredential(String name) {
        requireNonNull(name, "name is null");
        synchronized (lock) {
            return Optional.ofNullable(credentials.get(name));
        }
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
        synchronized (lock) {
            if (integrations.containsKey(definition.name())) {
                throw invalid("Integration '" + definition.name() + "' already exists; update it or choose another name");
            }
            check(definition);
            return put(new Entry(definition, IntegrationStatus.DRAFT, TestOutcome.NOT_TESTED, nextVersion++));
        }
    }

    /**
     * Runs a connection test of an integration (see {@link ConnectionTester}) and remembers whether it passed. A
     * failed test does not stop an integration that is already active. The outcome is not kept when the
     * integration's connection changed while the test ran.
     *
     * @param name the integration's name
     * @return what the test found; a failure of the warehouse or the settings is a {@link ConnectionTestResult.Failed}
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration; the store's exception
     *         when the outcome cannot be stored
     */
    public ConnectionTestResult test(String name) {
        requireNonNull(name, "name is null");
        SyncSpec spec;
        long version;
        synchronized (lock) {
            Entry entry = entry(name);
            version = entry.version;
            try {
                spec = spec(entry.definition);
            } catch (CdiException failure) {
                put(entry.tested(TestOutcome.FAILED));
                return new ConnectionTestResult.Failed(SyncError.of(failure), ErrorAdvice.forCategory(failure.category()));
            }
        }
        ConnectionTestResult result = tester.test(spec);
        synchronized (lock) {
            Entry entry = integrations.get(name);
            if (entry != null && entry.version == version) {
                put(entry.tested(result.passed() ? TestOutcome.PASSED : TestOutcome.FAILED));
            }
        }
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
        synchronized (lock) {
            Entry entry = entry(name);
            switch (entry.lastTest) {
                case NOT_TESTED:
                    throw invalid("Integration '" + name + "' cannot be activated: it has not passed a connection test"
                            + " since it was created or its connection changed; test it first");
                case FAILED:
                    throw invalid("Integration '" + name + "' cannot be activated: its last connection test failed;"
                            + " fix what the test reported and test it again");
                case PASSED:
                    break;
            }
            return put(entry.withStatus(IntegrationStatus.ACTIVE));
        }
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
        synchronized (lock) {
            Entry entry = entry(name);
            if (entry.status == IntegrationStatus.DRAFT) {
                throw invalid("Integration '" + name + "' is a draft and does not run, so it cannot be paused");
            }
            return put(entry.withStatus(IntegrationStatus.PAUSED));
        }
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
        synchronized (lock) {
            Entry entry = entry(name);
            if (entry.status == IntegrationStatus.DRAFT) {
                throw invalid("Integration '" + name + "' is a draft, so it cannot be resumed; test and activate it");
            }
            return put(entry.withStatus(IntegrationStatus.ACTIVE));
        }
    }

    /**
     * Replaces an integration's definition, checked as in {@link #create}. A change of workspace, connector,
     * credential, connection settings or table sends it back to draft, to be tested and activated again; other
     * changes (schedule, notifications, options) keep its status.
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
        synchronized (lock) {
            Entry entry = entry(name);
            IntegrationDefinition current = entry.definition;
            if (!definition.name().equals(name)) {
                throw invalid("Integration '" + name + "' cannot be renamed to '" + definition.name()
                        + "'; create a new integration instead");
            }
            if (definition.dataType() != current.dataType()) {
                throw invalid("Integration '" + name + "' syncs " + current.dataType().configName()
                        + "; its data type cannot change to " + definition.dataType().configName()
                        + ". Create a new integration for " + definition.dataType().configName());
            }
            check(definition);
            boolean connectionChanged = !definition.workspace().equals(current.workspace())
                    || !definition.connector().equals(current.connector())
                    || !definition.credential().equals(current.credential())
                    || !definition.connectionSettings().equals(current.connectionSettings())
                    || !definition.table().equals(current.table());
            return put(connectionChanged ? entry.changed(definition, IntegrationStatus.DRAFT, nextVersion++)
                    : new Entry(definition, entry.status, entry.lastTest, entry.version));
        }
    }

    /**
     * Deletes an integration; a run already started is not stopped.
     *
     * @param name the integration's name
     * @throws CdiException {@code INVALID_CONFIGURATION} when there is no such integration
     */
    public void delete(String name) {
        requireNonNull(name, "name is null");
        synchronized (lock) {
            entry(name);
            store.deleteIntegration(name);
            integrations.remove(name);
        }
    }

    /**
     * An integration by name.
     *
     * @param name the integration's name
     * @return the integration, or empty when there is none of that name
     */
    public Optional<RegisteredIntegration> get(String name) {
        requireNonNull(name, "name is null");
        synchronized (lock) {
            return Optional.ofNullable(integrations.get(name)).map(Entry::view);
        }
    }

    /**
     * Every integration with its status, by name.
     *
     * @return the integrations
     */
    public List<RegisteredIntegration> list() {
        synchronized (lock) {
            List<RegisteredIntegration> all = new ArrayList<>(integrations.size());
            integrations.values().forEach(entry -> all.add(entry.view()));
            return List.copyOf(all);
        }
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
        synchronized (lock) {
            List<ScheduledIntegration> active = new ArrayList<>();
            for (Entry entry : integrations.values()) {
                if (entry.status == IntegrationStatus.ACTIVE) {
                    active.add(scheduled(entry.definition));
                }
            }
            return List.copyOf(active);
        }
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
        synchronized (lock) {
            Entry entry = integrations.get(integration);
            return entry == null || entry.status != IntegrationStatus.ACTIVE ? Optional.empty()
                    : Optional.of(scheduled(entry.definition));
        }
    }

    private ScheduledIntegration scheduled(IntegrationDefinition definition) {
        return new ScheduledIntegration(spec(definition), definition.schedule(),
                workspaces.get(definition.workspace()).zone(), definition.notifications());
    }

    private SyncSpec spec(IntegrationDefinition definition) {
        return SyncSpec.builder()
                .integration(definition.name())
                .connector(definition.connector(), settings(definition))
                .table(definition.table())
                .dataType(definition.dataType())
                .options(definition.options())
                .build();
    }

    private ConnectorSettings settings(IntegrationDefinition definition) {
        EncryptedCredential encrypted = credentials.get(definition.credential());
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

    // Called under the lock; every rule create and update share.
    private void check(IntegrationDefinition definition) {
        String context = integrationContext(definition);
        if (!workspaces.containsKey(definition.workspace())) {
            throw invalid(context + ": no workspace named '" + definition.workspace() + "'; add the workspace first");
        }
        EncryptedCredential encrypted = credentials.get(definition.credential());
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
        for (Entry other : integrations.values()) {
            IntegrationDefinition existing = other.definition;
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
            checkOneWorkspacePerUser(definition, settings);
        }
        try {
            provider.validate(settings);
        } catch (CdiException refused) {
            throw new CdiException(refused.errorCode(), context + ": " + refused.getMessage(), refused);
        }
    }

    private void checkOneWorkspacePerUser(IntegrationDefinition definition, ConnectorSettings settings) {
        Optional<String> user = settings.get(USER_SETTING).map(IntegrationRegistry::foldCase);
        if (user.isEmpty()) {
            return;
        }
        for (Entry other : integrations.values()) {
            IntegrationDefinition existing = other.definition;
            EncryptedCredential otherCredential = credentials.get(existing.credential());
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

    private Entry entry(String name) {
        Entry entry = integrations.get(name);
        if (entry == null) {
            throw invalid("No integration named '" + name + "'");
        }
        return entry;
    }

    // Called under the lock: the store first, so that a store failure changes nothing.
    private RegisteredIntegration put(Entry entry) {
        RegisteredIntegration view = entry.view();
        store.saveIntegration(view);
        integrations.put(entry.definition.name(), entry);
        return view;
    }

    private static String integrationContext(IntegrationDefinition definition) {
        return "Integration '" + definition.name() + "'";
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** The mutable state of one integration, replaced whole; version changes whenever a test result goes stale. */
    private static final class Entry {
        final IntegrationDefinition definition;
        final IntegrationStatus status;
        final TestOutcome lastTest;
        final long version;

        Entry(IntegrationDefinition definition, IntegrationStatus status, TestOutcome lastTest, long version) {
            this.definition = definition;
            this.status = status;
            this.lastTest = lastTest;
            this.version = version;
        }

        Entry changed(IntegrationDefinition newDefinition, IntegrationStatus newStatus, long newVersion) {
            return new Entry(newDefinition, newStatus, TestOutcome.NOT_TESTED, newVersion);
        }

        Entry tested(TestOutcome outcome) {
            return new Entry(definition, status, outcome, version);
        }

        Entry withStatus(IntegrationStatus newStatus) {
            return new Entry(definition, newStatus, lastTest, version);
        }

        RegisteredIntegration view() {
            return new RegisteredIntegration(definition, status, lastTest);
        }
    }
}

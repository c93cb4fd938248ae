/**
 * The integrations registry of SPEC section 9: workspaces, credentials stored once (encrypted with a key the
 * application supplies) and referenced by name, and integrations that are created as drafts, go live only after a
 * successful connection test, and can be paused, resumed, updated and deleted. The registry keeps nothing of
 * its own: a {@link dev.cdi.core.registry.RegistryStore} (in memory by default, or
 * {@link dev.cdi.core.state.PostgresStateStore}) is the source of truth that several service instances share, and
 * every change is a compare-and-set on the store's revision. {@link dev.cdi.core.registry.IntegrationRegistry} is the
 * scheduler's {@link dev.cdi.core.scheduler.IntegrationCatalog}.
 */
package dev.cdi.core.registry;

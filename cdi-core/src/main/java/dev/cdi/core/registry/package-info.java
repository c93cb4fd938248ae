/**
 * The integrations registry of SPEC section 9: workspaces, credentials stored once (encrypted with a key the
 * application supplies) and referenced by name, and integrations that are created as drafts, go live only after a
 * successful connection test, and can be paused, resumed, updated and deleted. The registry works in memory and
 * writes every change through to a {@link dev.cdi.core.registry.RegistryStore}: in memory by default, or
 * {@link dev.cdi.core.state.PostgresStateStore}. {@link dev.cdi.core.registry.IntegrationRegistry} is the
 * scheduler's {@link dev.cdi.core.scheduler.IntegrationCatalog}.
 */
package dev.cdi.core.registry;

/**
 * The integrations registry of SPEC section 9, in memory: workspaces, credentials stored once (encrypted with a
 * key the application supplies) and referenced by name, and integrations that are created as drafts, go live only
 * after a successful connection test, and can be paused, resumed, updated and deleted.
 * {@link dev.cdi.core.registry.IntegrationRegistry} is the scheduler's
 * {@link dev.cdi.core.scheduler.IntegrationCatalog}.
 */
package dev.cdi.core.registry;

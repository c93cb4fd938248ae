/**
 * The sync engine: {@link dev.cdi.core.SyncEngine} runs an integration's sync (incremental read, validation,
 * resolution, delivery to a sink, checkpoints) and {@link dev.cdi.core.ConnectorRegistry} finds connectors.
 */
package dev.cdi.core;

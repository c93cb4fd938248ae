/**
 * {@link dev.cdi.core.service.SyncService}: the operations of the reference product's REST API (list
 * integrations, trigger a sync, list a sync's runs) as a Java API over the registry, the scheduler and the run
 * history.
 */
package dev.cdi.core.service;

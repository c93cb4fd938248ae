/**
 * Running integrations on their schedules: {@link dev.cdi.core.scheduler.Scheduler} starts due runs on a thread
 * pool and "sync now" runs at once; {@link dev.cdi.core.scheduler.IntegrationRunner} runs one integration under a
 * lease (so never twice at once, also across JVMs sharing a lease store), records it in the run history and
 * dispatches its notification.
 */
package dev.cdi.core.scheduler;

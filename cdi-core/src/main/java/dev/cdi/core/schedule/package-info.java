/**
 * When an integration runs (SPEC section 9): a {@link dev.cdi.core.schedule.Schedule} read from configuration text
 * and interpreted in the workspace's IANA time zone, with {@link dev.cdi.core.schedule.Schedule#nextRunAfter} giving
 * the next run time, correct across daylight-saving changes.
 */
package dev.cdi.core.schedule;

package dev.cdi.core.scheduler;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.SyncSpec;
import dev.cdi.core.notify.NotificationPreferences;
import dev.cdi.core.schedule.Schedule;
import java.time.ZoneId;
import java.util.Optional;

/**
 * An integration as the scheduler needs it: what to sync, when, in which time zone, and whom to tell.
 *
 * <p>Immutable and thread-safe.
 *
 * @param spec what to sync
 * @param schedule when
 * @param zone the workspace's time zone the schedule is read in
 * @param notifications whom to notify and when, if anyone
 */
public record ScheduledIntegration(SyncSpec spec, Schedule schedule, ZoneId zone,
        Optional<NotificationPreferences> notifications) {

    /** Validates every part. */
    public ScheduledIntegration {
        requireNonNull(spec, "spec is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(notifications, "notifications is null");
    }

    /**
     * The integration's name.
     *
     * @return {@code spec().integration()}
     */
    public String name() {
        return spec.integration();
    }
}

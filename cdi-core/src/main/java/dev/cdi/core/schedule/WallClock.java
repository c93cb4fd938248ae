package dev.cdi.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/** Local wall-clock times turned into instants, with the daylight-saving rules that {@link Schedule} documents. */
final class WallClock {
    private static final long SECONDS_PER_HOUR = 3600;

    private WallClock() {}

    /**
     * The instant of a local date and time: the first instant after the gap when the time does not exist, the earlier
     * of the two when it happens twice.
     */
    static Instant resolve(LocalDateTime local, ZoneRules rules) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) {
            return local.toInstant(offsets.get(0));
        }
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (offsets.isEmpty()) {
            return transition.getInstant();
        }
        // In an overlap the offset before the transition is the larger one, so it gives the earlier instant.
        return local.toInstant(transition.getOffsetBefore());
    }

    /**
     * The local date from which to look for a wall-clock run after {@code previous}: one day before its own, so the
     * search cannot start past a due run even where a daylight-saving change crosses midnight (it costs one more
     * resolution).
     */
    static LocalDate firstCandidateDate(Instant previous, ZoneId zone) {
        return LocalDate.ofInstant(previous, zone).minusDays(1);
    }

    /** The first whole-second instant after {@code previous} whose local minute of the hour is {@code minute}. */
    static Instant nextAtMinuteOfHour(Instant previous, int minute, ZoneRules rules) {
        // Runs fall on whole seconds, so "strictly after previous" is "at or after its second plus one".
        long from = previous.getEpochSecond() + 1;
        while (true) {
            Instant fromInstant = Instant.ofEpochSecond(from);
            long local = from + rules.getOffset(fromInstant).getTotalSeconds();
            long candidate = from + Math.floorMod(minute * 60L - local, SECONDS_PER_HOUR);
            ZoneOffsetTransition transition = rules.nextTransition(fromInstant);
            // The offset is constant until the next transition; past it, start again with the new offset.
            if (transition == null || candidate < transition.toEpochSecond()) {
                return Instant.ofEpochSecond(candidate);
            }
            from = transition.toEpochSecond();
        }
    }
}

package dev.cdi.core.registry;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * A workspace: integrations and credentials belong to one, and schedules are read in its time zone.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the workspace's name, matching {@code [a-z][a-z0-9_-]*} (at most 128 characters)
 * @param zone its IANA time zone, such as {@code Europe/Paris}
 */
public record Workspace(String name, ZoneId zone) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,127}");

    /** Validates the name. */
    public Workspace {
        requireNonNull(name, "name is null");
        requireNonNull(zone, "zone is null");
        if (!NAME.matcher(name).matches()) {
            throw new CdiException(ErrorCode.INVALID_CONFIGURATION,
                    "Workspace name '" + name + "' must match [a-z][a-z0-9_-]* (at most 128 characters)");
        }
    }
}

package dev.cdi.sql;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A column's type as the source reports it, with its base name for matching: upper case, parenthesised parameters
 * removed, blanks collapsed. So {@code STRUCT(a INTEGER, b VARCHAR)} has the base {@code STRUCT} and
 * {@code timestamp(6) with time zone} the base {@code TIMESTAMP WITH TIME ZONE}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the type name exactly as reported, for messages
 * @param base the normalised name
 */
public record SourceType(String name, String base) {

    /** Checks both parts. */
    public SourceType {
        requireNonNull(name, "name is null");
        requireNonNull(base, "base is null");
    }

    /**
     * The type of a reported name.
     *
     * @param name the type name as reported
     * @return the type
     */
    public static SourceType of(String name) {
        requireNonNull(name, "name is null");
        StringBuilder base = new StringBuilder(name.length());
        int depth = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '(' || c == '<') {
                depth++;
            } else if (c == ')' || c == '>') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                base.append(c);
            }
        }
        return new SourceType(name, base.toString().trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT));
    }

    /**
     * Whether a timestamp type holds an instant rather than a zone-less wall-clock time, by the names warehouses
     * use: {@code ... WITH TIME ZONE}, {@code ... WITH LOCAL TIME ZONE}, names ending in {@code TZ} but not
     * {@code NTZ}, and {@code DATETIMEOFFSET}.
     *
     * @return true for a zoned type
     */
    public boolean isZonedTimestamp() {
        if (base.contains("WITHOUT") || base.endsWith("NTZ")) {
            return false;
        }
        return base.contains("WITH TIME ZONE") || base.contains("WITH LOCAL TIME ZONE") || base.endsWith("TZ")
                || base.equals("DATETIMEOFFSET");
    }

    @Override
    public String toString() {
        return name;
    }
}

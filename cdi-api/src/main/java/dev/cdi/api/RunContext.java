package dev.cdi.api;

import dev.cdi.api.Experimental;

import static java.util.Objects.requireNonNull;

/**
 * Which run a connector call serves, so that a warehouse that supports it can tag the run's queries (Snowflake's
 * {@code QUERY_TAG}, BigQuery's job labels, an application name) and its administrator can see which integration
 * ran which query. A connector may ignore it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param integrationName the integration's name
 * @param runId the run's id, unique per integration
 */
@Experimental
public record RunContext(String integrationName, String runId) {

    /** Checks both parts. */
    public RunContext {
        requireNonNull(integrationName, "integrationName is null");
        requireNonNull(runId, "runId is null");
        if (integrationName.isBlank()) {
            throw new IllegalArgumentException("integrationName is blank");
        }
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId is blank");
        }
    }

    /**
     * A short label for query tags: {@code cdi:<integration>:<run id>}, with every character other than ASCII
     * letters, digits, {@code _}, {@code -}, {@code .} and {@code :} replaced by {@code _} and at most 100
     * characters, so that it fits every warehouse's tag rules and can be written as a literal safely.
     *
     * @return the label
     */
    public String label() {
        String label = "cdi:" + integrationName + ":" + runId;
        StringBuilder safe = new StringBuilder(Math.min(label.length(), 100));
        for (int i = 0; i < label.length() && safe.length() < 100; i++) {
            char c = label.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-' || c == '.' || c == ':';
            safe.append(allowed ? c : '_');
        }
        return safe.toString();
    }
}

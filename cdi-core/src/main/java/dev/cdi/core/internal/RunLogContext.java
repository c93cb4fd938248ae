package dev.cdi.core.internal;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the integration and the run id in the SLF4J MDC ({@value #INTEGRATION}, {@value #RUN}) of the thread running
 * a run, and of the threads it starts, so that every log line written during the run carries them. Not
 * thread-safe: one per thread and run.
 */
public final class RunLogContext implements AutoCloseable {
    /** The MDC key of the integration's name. */
    public static final String INTEGRATION = "cdi.integration";
    /** The MDC key of the run's id. */
    public static final String RUN = "cdi.run";

    private final String previousIntegration;
    private final String previousRun;

    private RunLogContext(String integration, String runId) {
        previousIntegration = MDC.get(INTEGRATION);
        previousRun = MDC.get(RUN);
        MDC.put(INTEGRATION, integration);
        MDC.put(RUN, runId);
    }

    /**
     * Sets the run's keys on this thread until {@link #close()}, which restores what was there before (a run nested
     * in another's thread, as in tests, leaves the outer one's keys intact).
     *
     * @param integration the integration's name
     * @param runId the run's id
     * @return the context to close when the run ends
     */
    public static RunLogContext open(String integration, String runId) {
        return new RunLogContext(integration, runId);
    }

    /**
     * Wraps a task to run on another thread with the calling thread's MDC, cleared afterwards.
     *
     * @param task the task
     * @return the wrapped task
     */
    public static Runnable propagate(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                task.run();
            } finally {
                if (before != null) {
                    MDC.setContextMap(before);
                } else {
                    MDC.clear();
                }
            }
        };
    }

    @Override
    public void close() {
        restore(INTEGRATION, previousIntegration);
        restore(RUN, previousRun);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}

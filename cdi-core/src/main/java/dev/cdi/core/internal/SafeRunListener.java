package dev.cdi.core.internal;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.RunResult;
import dev.cdi.core.RunListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls several listeners in order; one that throws is logged and skipped, so a broken metrics backend never fails
 * a run. Thread-safe when its listeners are.
 */
public final class SafeRunListener implements RunListener {
    private static final Logger log = LoggerFactory.getLogger(SafeRunListener.class);

    private final List<RunListener> listeners;

    /**
     * Combines listeners.
     *
     * @param listeners called in this order
     */
    public SafeRunListener(List<RunListener> listeners) {
        this.listeners = List.copyOf(requireNonNull(listeners, "listeners is null"));
    }

    @Override
    public void runStarted(Run run) {
        for (RunListener listener : listeners) {
            try {
                listener.runStarted(run);
            } catch (RuntimeException e) {
                failed(run, listener, e);
            }
        }
    }

    @Override
    public void warehouseTimeRead(Run run, Instant warehouseTime) {
        for (RunListener listener : listeners) {
            try {
                listener.warehouseTimeRead(run, warehouseTime);
            } catch (RuntimeException e) {
                failed(run, listener, e);
            }
        }
    }

    @Override
    public void batchDelivered(Run run, int rows, Duration latency, int retries) {
        for (RunListener listener : listeners) {
            try {
                listener.batchDelivered(run, rows, latency, retries);
            } catch (RuntimeException e) {
                failed(run, listener, e);
            }
        }
    }

    @Override
    public void runEnded(Run run, RunResult result) {
        for (RunListener listener : listeners) {
            try {
                listener.runEnded(run, result);
            } catch (RuntimeException e) {
                failed(run, listener, e);
            }
        }
    }

    private static void failed(Run run, RunListener listener, RuntimeException e) {
        log.warn("[{}] Run listener {} failed on run {}: {}", run.integration(), listener.getClass().getName(),
                run.runId(), e.toString());
    }
}

package dev.cdi.cli;

import static java.util.Objects.requireNonNull;

import dev.cdi.core.RunProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live progress line of one run on a terminal, redrawn in place with a carriage return at most four times a
 * second, and cleared when the run ends so that the run's summary takes its place:
 *
 * <pre>
 * attributes: 12,288 of 50,000 rows (24%), 6,102 rows/s, 7 s left
 * </pre>
 *
 * <p>Not thread-safe: one per run, called from the run's thread (the engine's calls) and then from the thread that
 * started the run ({@link #finish}).
 */
final class ProgressLine implements RunProgress {
    /** A terminal redrawn more often flickers, and nobody reads faster. */
    static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String integration;
    private final PrintWriter out;
    private final LongSupplier nanoTime;
    /** Rates count from the end of counting: connecting and planning would make the first ones look slow. */
    private long startNanos;
    private long lastDrawNanos;
    private long rowsToRead = -1;
    private int drawnWidth;

    /**
     * A progress line.
     *
     * @param integration the run's integration, the line's first word
     * @param out the terminal
     * @param nanoTime the clock that measures rates, {@link System#nanoTime} but in tests
     */
    ProgressLine(String integration, PrintWriter out, LongSupplier nanoTime) {
        this.integration = requireNonNull(integration, "integration is null");
        this.out = requireNonNull(out, "out is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    @Override
    public void counted(long rowsToRead) {
        this.rowsToRead = rowsToRead;
        startNanos = nanoTime.getAsLong();
        draw(0, startNanos);
    }

    @Override
    public void read(long rowsRead) {
        long now = nanoTime.getAsLong();
        if (rowsToRead >= 0 && now - lastDrawNanos >= REDRAW_NANOS) {
            draw(rowsRead, now);
        }
    }

    /**
     * Draws the final count, then clears the line for what is printed next. Prints nothing when the run ended before
     * it counted its rows.
     *
     * @param rowsRead the run's rows read
     */
    void finish(long rowsRead) {
        if (rowsToRead < 0) {
            return;
        }
        draw(rowsRead, nanoTime.getAsLong());
        out.print("\r" + " ".repeat(drawnWidth) + "\r");
        out.flush();
    }

    private void draw(long rowsRead, long now) {
        lastDrawNanos = now;
        String line = text(rowsRead, now - startNanos);
        // Spaces cover the end of a longer line drawn before.
        out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        out.flush();
        drawnWidth = Math.max(drawnWidth, line.length());
    }

    private String text(long rowsRead, long elapsedNanos) {
        long of = Math.max(rowsToRead, rowsRead);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s: %,d of %,d rows (%d%%)", integration,
                rowsRead, of, of == 0 ? 100 : rowsRead * 100 / of));
        if (rowsRead > 0 && elapsedNanos > 0) {
            double perSecond = rowsRead * 1e9 / elapsedNanos;
            text.append(String.format(Locale.ROOT, ", %,d rows/s, %s left", Math.round(perSecond),
                    duration(Duration.ofSeconds((long) Math.ceil((of - rowsRead) / perSecond)))));
        }
        return text.toString();
    }

    /**
     * A time left as people say it: {@code 7 s}, {@code 3 min 5 s}, {@code 2 h 10 min}.
     *
     * @param duration the duration
     * @return the text
     */
    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}

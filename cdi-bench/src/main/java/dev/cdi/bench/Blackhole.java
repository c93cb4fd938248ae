package dev.cdi.bench;

/** Keeps a computed value alive so the JIT cannot drop the work that produced it. */
final class Blackhole {
    @SuppressWarnings("unused")
    private static volatile long sink;

    private Blackhole() {
    }

    static void consume(long value) {
        sink = value;
    }
}

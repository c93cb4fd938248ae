package dev.cdi.bench;

import java.nio.file.Path;
import java.util.List;

/** The sources the headline benchmark compares. */
final class BenchSources {
    private BenchSources() {
    }

    static List<BenchSource> open(Path directory) {
        return List.of(new DuckDbBenchSource(directory), new RedshiftBenchSource());
    }
}

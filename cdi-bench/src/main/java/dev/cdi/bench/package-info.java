/**
 * Benchmarks of the pipeline (not published): {@link dev.cdi.bench.BenchMain} behind {@code bench/run}.
 */
package dev.cdi.bench;

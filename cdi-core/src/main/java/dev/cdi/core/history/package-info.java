/**
 * What runs did: {@link dev.cdi.core.history.RunHistory} keeps a {@link dev.cdi.core.history.RunSummary} per run
 * and its row errors, in memory, in files ({@link dev.cdi.core.history.FileRunHistory}) or in PostgreSQL
 * ({@link dev.cdi.core.state.PostgresStateStore}).
 */
package dev.cdi.core.history;

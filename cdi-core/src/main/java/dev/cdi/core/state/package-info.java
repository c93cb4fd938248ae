/**
 * Where an integration's watermark and fingerprints live between runs: {@link dev.cdi.core.state.StateStore}
 * with an in-memory and a durable file implementation.
 */
package dev.cdi.core.state;

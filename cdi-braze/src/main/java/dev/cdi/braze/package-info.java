/**
 * A {@link dev.cdi.api.RowSink} for Braze's REST API: {@link dev.cdi.braze.BrazeSink}, configured with a
 * {@link dev.cdi.braze.BrazeSinkConfig}.
 */
package dev.cdi.braze;

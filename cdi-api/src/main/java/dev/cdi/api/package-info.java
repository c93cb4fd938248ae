/**
 * The public contract of CDI: the {@link dev.cdi.api.SourceConnector} SPI that warehouse connectors
 * implement, the {@link dev.cdi.api.RowSink} that applications implement, the {@link dev.cdi.api.SyncSpec}
 * that describes one integration, and the value types that flow between them.
 *
 * <p>This package has no runtime dependencies. Every value type is an immutable record validated in its
 * constructor; no method accepts or returns {@code null}.
 */
package dev.cdi.api;

/**
 * Ready-made {@link dev.cdi.api.RowSink} implementations.
 */
package dev.cdi.core.sink;

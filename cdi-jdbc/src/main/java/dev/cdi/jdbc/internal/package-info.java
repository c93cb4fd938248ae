/**
 * Implementation of {@code dev.cdi.jdbc}: not API, may change. Connector modules must not use it.
 */
package dev.cdi.jdbc.internal;

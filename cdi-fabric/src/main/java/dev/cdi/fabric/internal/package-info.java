/**
 * Classes of the {@code fabric} connector that must be public for Microsoft's driver to load them by name: not API,
 * may change without notice.
 */
package dev.cdi.fabric.internal;

/**
 * The pipeline's implementation. Not API: may change in any release.
 */
package dev.cdi.core.internal;

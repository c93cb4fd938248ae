/**
 * Not API, may change: classes of the Redshift connector that must be public only because the Redshift JDBC
 * driver instantiates them by class name.
 */
package dev.cdi.redshift.internal;

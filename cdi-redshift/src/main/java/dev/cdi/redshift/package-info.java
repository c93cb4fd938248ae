/**
 * The Amazon Redshift source connector: {@link dev.cdi.redshift.RedshiftConnectorProvider}, found by
 * {@link java.util.ServiceLoader} under the name {@code redshift}. It reads through the Amazon Redshift JDBC
 * driver, pooled, directly or through an SSH tunnel to a bastion host ({@link dev.cdi.redshift.tunnel}).
 */
package dev.cdi.redshift;

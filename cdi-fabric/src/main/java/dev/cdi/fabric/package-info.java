/**
 * The {@code fabric} connector: a Microsoft Fabric warehouse or SQL analytics endpoint read through Microsoft's SQL
 * Server JDBC driver, logged in with a Microsoft Entra token that {@code azure-identity} gets for a service principal
 * (tenant id, client id, client secret).
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.fabric;

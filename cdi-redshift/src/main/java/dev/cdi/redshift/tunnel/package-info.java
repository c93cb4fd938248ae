/**
 * An SSH tunnel to a bastion host, so that the Redshift connector can reach a cluster in a private network.
 *
 * <p>The library generates the key pair ({@link dev.cdi.redshift.tunnel.SshKeyPair}), stores its private key
 * only encrypted, and shows the public key as one {@code authorized_keys} line for the user to install on the
 * bastion. The bastion's host key is pinned ({@link dev.cdi.redshift.tunnel.SshTunnelSettings}) or recorded on
 * first use ({@link dev.cdi.redshift.tunnel.KnownHosts}); a changed host key is refused, never accepted
 * silently. {@link dev.cdi.redshift.tunnel.SshTunnel} runs the local port forward. Nothing here reads
 * {@code ~/.ssh}.
 */
package dev.cdi.redshift.tunnel;

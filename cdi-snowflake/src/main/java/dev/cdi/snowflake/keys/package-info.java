/**
 * The RSA key pairs of Snowflake's key-pair authentication, and their rotation through the two public-key slots
 * Snowflake keeps per user.
 *
 * <p>CDI generates the key pair ({@link dev.cdi.snowflake.keys.SnowflakeKeyPair#generate()}), stores its private key
 * only encrypted (PKCS#8, {@link dev.cdi.snowflake.keys.SnowflakeKeyPair#encryptedPrivateKeyPem(char[])}), and
 * shows the public key as the exact statement the customer's administrator runs,
 * {@code ALTER USER <user> SET RSA_PUBLIC_KEY='MIIB...';}, together with its {@code SHA256:} fingerprint, which
 * {@code DESC USER} shows as {@code RSA_PUBLIC_KEY_FP} so that the administrator can check it.
 *
 * <p>Rotation without downtime ({@link dev.cdi.snowflake.keys.KeyRotation}): generate a new key; show the statement
 * that installs it in the slot not holding the current key ({@link dev.cdi.snowflake.keys.KeySlot}); connect with
 * the new key, falling back to the previous one until the administrator has run that statement; retire the previous
 * key (an {@code ALTER USER ... UNSET} statement) when asked.
 *
 * <p>No method of this package accepts or returns {@code null}.
 */
package dev.cdi.snowflake.keys;

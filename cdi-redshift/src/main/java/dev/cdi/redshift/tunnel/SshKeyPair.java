package dev.cdi.redshift.tunnel;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.interfaces.EdDSAPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * An Ed25519 key pair that the library generates for logging in to an SSH bastion host. The user installs its
 * public key as one {@code authorized_keys} line ({@link #authorizedKeysLine(String)}) on the bastion; the private
 * key is stored only encrypted ({@link #encryptedPrivateKeyPem(char[])}, read back with
 * {@link #fromEncryptedPem(String, char[])}).
 *
 * <p>{@link #toString()} shows the key type and fingerprint only, never key material. Immutable and thread-safe;
 * any method may be called any number of times.
 */
public final class SshKeyPair {
    // OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second here, paid once per tunnel start.
    private static final int PBKDF2_ITERATIONS = 600_000;

    private final KeyPair keyPair;
    private final String publicKeyEntry;
    private final String fingerprint;

    private SshKeyPair(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.publicKeyEntry = PublicKeyEntry.toString(keyPair.getPublic());
        this.fingerprint = SshFingerprints.of(keyPair.getPublic());
    }

    /**
     * Generates a new Ed25519 key pair with Bouncy Castle.
     *
     * @return the new key pair
     */
    public static SshKeyPair generate() {
        try {
            return new SshKeyPair(KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER).generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Bouncy Castle on the class path does not offer Ed25519", e);
        }
    }

    /**
     * Reads a key pair from the text {@link #encryptedPrivateKeyPem(char[])} wrote.
     *
     * @param pem an encrypted PKCS#8 PEM ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}) of an Ed25519 key
     * @param passphrase the passphrase it was encrypted with; not kept
     * @return the key pair
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the text is not such a PEM, the
     *         passphrase is wrong or the key is not Ed25519; the message shows neither the key nor the passphrase
     */
    public static SshKeyPair fromEncryptedPem(String pem, char[] passphrase) {
        requireNonNull(pem, "pem is null");
        requireNonNull(passphrase, "passphrase is null");
        Object parsed;
        // Parse errors are not chained as causes: some quote the text they could not read.
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw invalid("The SSH private key is not a PEM text: expected '-----BEGIN ENCRYPTED PRIVATE KEY-----'");
        }
        if (parsed instanceof PrivateKeyInfo) {
            throw invalid("The SSH private key is not encrypted; CDI stores SSH private keys only encrypted"
                    + " ('-----BEGIN ENCRYPTED PRIVATE KEY-----')");
        }
        if (!(parsed instanceof PKCS8EncryptedPrivateKeyInfo)) {
            throw invalid("The SSH private key is not an encrypted PKCS#8 PEM: expected"
                    + " '-----BEGIN ENCRYPTED PRIVATE KEY-----'");
        }
        PrivateKey privateKey;
        try {
            PrivateKeyInfo info = ((PKCS8EncryptedPrivateKeyInfo) parsed).decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(passphrase));
            privateKey = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER).getPrivateKey(info);
        } catch (PKCSException | OperatorCreationException | IOException | RuntimeException e) {
            throw invalid("The SSH private key could not be decrypted: the passphrase is wrong or the stored key is"
                    + " damaged");
        }
        if (!(privateKey instanceof EdDSAPrivateKey) || !"Ed25519".equals(privateKey.getAlgorithm())) {
            throw invalid("The SSH private key's algorithm is " + privateKey.getAlgorithm()
                    + "; CDI's SSH keys are Ed25519");
        }
        PublicKey publicKey = ((EdDSAPrivateKey) privateKey).getPublicKey();
        return new SshKeyPair(new KeyPair(publicKey, privateKey));
    }

    /**
     * The private key as an encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations, random salt)
     * and AES-256-CBC. Each call uses a new salt and IV, so the text differs from call to call. OpenSSL reads it
     * ({@code openssl pkey -in key.pem}).
     *
     * @param passphrase the passphrase, not empty; not kept
     * @return the PEM text, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} and so on
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the passphrase is empty
     */
    public String encryptedPrivateKeyPem(char[] passphrase) {
        requireNonNull(passphrase, "passphrase is null");
        if (passphrase.length == 0) {
            throw invalid("The passphrase for the SSH private key is empty");
        }
        try {
            PrivateKeyInfo encoded = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
            // Bouncy Castle adds the public key (PKCS#8 version 2), which OpenSSL 3.0 cannot read; version 1 omits it.
            PrivateKeyInfo versionOne = new PrivateKeyInfo(encoded.getPrivateKeyAlgorithm(), encoded.parsePrivateKey());
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BouncyCastle.PROVIDER)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(new SecureRandom())
                    .setPassword(passphrase)
                    .build();
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new PKCS8Generator(versionOne, encryptor));
            }
            return text.toString();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle cannot encrypt with PBKDF2-HMAC-SHA256 and AES-256-CBC", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the SSH private key", e);
        }
    }

    /**
     * The public key as one OpenSSH {@code authorized_keys} line, for the user to add to
     * {@code ~USER/.ssh/authorized_keys} on the bastion host.
     *
     * @param comment the comment after the key, such as {@code cdi@workspace}; blank for none
     * @return for example {@code ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA... cdi@workspace}
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the comment is not one line of
     *         printable text
     */
    public String authorizedKeysLine(String comment) {
        requireNonNull(comment, "comment is null");
        String stripped = comment.strip();
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw invalid("The comment of an authorized_keys line must be one line of printable text");
        }
        return stripped.isEmpty() ? publicKeyEntry : publicKeyEntry + " " + stripped;
    }

    /**
     * The fingerprint of the public key as {@code ssh-keygen -l} prints it.
     *
     * @return {@code SHA256:} and 43 Base64 characters
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The key pair itself, for the SSH client.
     *
     * @return the public and private key
     */
    public KeyPair keyPair() {
        return keyPair;
    }

    /**
     * The key type and fingerprint, never key material.
     *
     * @return for example {@code SshKeyPair[ssh-ed25519 SHA256:...]}
     */
    @Override
    public String toString() {
        return "SshKeyPair[" + SshFingerprints.typeOf(keyPair.getPublic()) + " " + fingerprint + "]";
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** The Bouncy Castle provider, created once; not registered globally by this class. */
    private static final class BouncyCastle {
        static final Provider PROVIDER = registeredOrNew();

        private static Provider registeredOrNew() {
            // Not any provider named "BC": the Snowflake driver registers its shaded copy under that name, whose
            // key classes are not Bouncy Castle's (and which Apache SSHD cannot encode).
            Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
            return registered instanceof BouncyCastleProvider ? registered : new BouncyCastleProvider();
        }
    }
}

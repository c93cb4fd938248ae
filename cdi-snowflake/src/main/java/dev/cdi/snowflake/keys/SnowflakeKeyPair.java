package dev.cdi.snowflake.keys;

import static java.util.Objects.requireNonNull;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * An RSA key pair for Snowflake's key-pair authentication: the driver signs a JWT with the private key, Snowflake
 * checks it against the public key installed on the user.
 *
 * <p>CDI generates the key ({@link #generate()}, RSA 2048) and stores its private key only encrypted
 * ({@link #encryptedPrivateKeyPem(char[])}). The customer's administrator installs the public key with the statement
 * {@link #alterUserStatement(String, KeySlot)} and can check it by its {@link #fingerprint()}, which
 * {@code DESC USER} shows as {@code RSA_PUBLIC_KEY_FP}. A key made elsewhere ({@code openssl genrsa}, or Snowflake's
 * documented {@code openssl pkcs8} steps) is read by {@link #fromPem(String, Optional)}.
 *
 * <p>Two instances are equal when they hold the same key. {@link #toString()} shows the key size and fingerprint
 * only, never key material. Immutable and thread-safe; any method may be called any number of times.
 */
public final class SnowflakeKeyPair {
    /** What CDI generates, and the least it accepts: Snowflake's documented key size. */
    public static final int MIN_BITS = 2048;

    // OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second here, paid once per connector start.
    private static final int PBKDF2_ITERATIONS = 600_000;
    private static final Pattern UNQUOTED_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final int MAX_IDENTIFIER_LENGTH = 255;
    private static final Map<ASN1ObjectIdentifier, String> OTHER_ALGORITHMS = Map.of(
            X9ObjectIdentifiers.id_ecPublicKey, "an EC",
            X9ObjectIdentifiers.id_dsa, "a DSA",
            EdECObjectIdentifiers.id_Ed25519, "an Ed25519",
            EdECObjectIdentifiers.id_Ed448, "an Ed448",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "an RSASSA-PSS");
    private static final String FORMS = "'-----BEGIN ENCRYPTED PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----' or"
            + " '-----BEGIN RSA PRIVATE KEY-----'";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String publicKeyBase64;
    private final String fingerprint;

    private SnowflakeKeyPair(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        byte[] subjectPublicKeyInfo = publicKey.getEncoded();
        this.publicKeyBase64 = Base64.getEncoder().encodeToString(subjectPublicKeyInfo);
        this.fingerprint = "SHA256:" + Base64.getEncoder().encodeToString(sha256(subjectPublicKeyInfo));
    }

    /**
     * Generates a new RSA key pair of {@value #MIN_BITS} bits with the JDK's provider.
     *
     * @return the new key pair
     */
    public static SnowflakeKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(MIN_BITS, new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            return new SnowflakeKeyPair((RSAPrivateCrtKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK offers no RSA key pair generator", e);
        }
    }

    /**
     * Reads an RSA private key from PEM text: an encrypted PKCS#8 PEM as {@link #encryptedPrivateKeyPem(char[])}
     * writes it ({@code -----BEGIN ENCRYPTED PRIVATE KEY-----}), an unencrypted PKCS#8 PEM
     * ({@code -----BEGIN PRIVATE KEY-----}) or a PKCS#1 PEM ({@code -----BEGIN RSA PRIVATE KEY-----}, what
     * {@code openssl genrsa -traditional} writes, also with OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED}
     * header). The public key is derived from the private key.
     *
     * @param pem the PEM text
     * @param passphrase the passphrase of an encrypted key; not kept. Ignored when the key is not encrypted.
     * @return the key pair
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the text is none of these PEMs, the key
     *         is encrypted and no passphrase is given, the passphrase does not decrypt it, the key is not RSA, or it
     *         has fewer than {@value #MIN_BITS} bits; the message shows neither the key nor the passphrase
     */
    public static SnowflakeKeyPair fromPem(String pem, Optional<char[]> passphrase) {
        requireNonNull(pem, "pem is null");
        requireNonNull(passphrase, "passphrase is null");
        Object parsed;
        // Parse errors are not chained as causes: some quote the text they could not read.
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw invalid("The Snowflake private key is not a readable PEM text: expected " + FORMS);
        }
        PrivateKeyInfo info;
        if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            char[] secret = passphrase.orElseThrow(SnowflakeKeyPair::noPassphrase);
            try {
                info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(BouncyCastle.PROVIDER).build(secret));
            } catch (PKCSException | OperatorCreationException | RuntimeException e) {
                throw wrongPassphrase();
            }
        } else if (parsed instanceof PEMEncryptedKeyPair encrypted) {
            char[] secret = passphrase.orElseThrow(SnowflakeKeyPair::noPassphrase);
            try {
                info = encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                        .setProvider(BouncyCastle.PROVIDER).build(secret)).getPrivateKeyInfo();
            } catch (IOException | RuntimeException e) {
                throw wrongPassphrase();
            }
        } else if (parsed instanceof PrivateKeyInfo plain) {
            info = plain;
        } else if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (parsed == null) {
            throw invalid("The Snowflake private key is not a PEM text: expected " + FORMS);
        } else {
            // Such as a public key, a certificate, or the EC parameters 'openssl ecparam -genkey' writes first.
            throw invalid("The Snowflake private key's PEM text does not begin with a private key: expected " + FORMS);
        }
        return fromPrivateKeyInfo(info);
    }

    private static SnowflakeKeyPair fromPrivateKeyInfo(PrivateKeyInfo info) {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (!PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            String kind = OTHER_ALGORITHMS.getOrDefault(algorithm, "a non-RSA (" + algorithm.getId() + ")");
            throw invalid("The Snowflake private key is " + kind + " key; Snowflake's key-pair authentication needs"
                    + " an RSA key of at least " + MIN_BITS + " bits (cdi keygen --snowflake generates one)");
        }
        RSAPrivateKey rsa;
        try {
            rsa = RSAPrivateKey.getInstance(info.parsePrivateKey());
        } catch (IOException | RuntimeException e) {
            throw invalid("The Snowflake private key is damaged: its RSA structure cannot be read");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_BITS) {
            throw invalid("The Snowflake private key is a " + bits + "-bit RSA key; Snowflake's key-pair"
                    + " authentication needs at least " + MIN_BITS + " bits (cdi keygen --snowflake generates one)");
        }
        if (rsa.getPublicExponent().signum() <= 0) {
            throw invalid("The Snowflake private key is damaged: it has no public exponent");
        }
        try {
            // The JDK's own key classes, so that the driver signs with whichever provider it likes.
            KeyFactory factory = KeyFactory.getInstance("RSA");
            BigInteger modulus = rsa.getModulus();
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(new RSAPrivateCrtKeySpec(
                    modulus, rsa.getPublicExponent(), rsa.getPrivateExponent(), rsa.getPrime1(), rsa.getPrime2(),
                    rsa.getExponent1(), rsa.getExponent2(), rsa.getCoefficient()));
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(modulus, rsa.getPublicExponent()));
            return new SnowflakeKeyPair(privateKey, publicKey);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw invalid("The Snowflake private key is damaged: the JDK refuses its RSA parameters");
        }
    }

    /**
     * The private key as an encrypted PKCS#8 PEM: PBES2 with PBKDF2-HMAC-SHA256 (600,000 iterations, random salt)
     * and AES-256-CBC. Each call uses a new salt and IV, so the text differs from call to call. OpenSSL reads it
     * ({@code openssl pkey -in key.pem}), and so does {@link #fromPem(String, Optional)}.
     *
     * @param passphrase the passphrase, not empty; not kept
     * @return the PEM text, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} and so on
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the passphrase is empty
     */
    public String encryptedPrivateKeyPem(char[] passphrase) {
        requireNonNull(passphrase, "passphrase is null");
        if (passphrase.length == 0) {
            throw invalid("The passphrase for the Snowflake private key is empty");
        }
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BouncyCastle.PROVIDER)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(new SecureRandom())
                    .setPassword(passphrase)
                    .build();
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new JcaPKCS8Generator(privateKey, encryptor));
            }
            return text.toString();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle cannot encrypt with PBKDF2-HMAC-SHA256 and AES-256-CBC", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode the Snowflake private key", e);
        }
    }

    /**
     * The public key as Snowflake expects it in {@code RSA_PUBLIC_KEY}: its DER encoding (X.509
     * SubjectPublicKeyInfo) in Base64, on one line, without the PEM armour.
     *
     * @return for example {@code MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...}
     */
    public String publicKeyBase64() {
        return publicKeyBase64;
    }

    /**
     * The public key's fingerprint as Snowflake shows it in {@code DESC USER} ({@code RSA_PUBLIC_KEY_FP}) and as the
     * driver puts it in the JWT's issuer: the Base64 of the SHA-256 of the key's DER encoding.
     *
     * @return {@code SHA256:} and 44 Base64 characters
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The statement that installs this public key on a Snowflake user, for the customer's administrator to run.
     *
     * @param user the Snowflake user name; kept as is when it is a plain unquoted identifier
     *        ({@code [A-Za-z_][A-Za-z0-9_$]*}, which Snowflake reads in upper case), otherwise double-quoted
     * @param slot the slot to install the key in
     * @return for example {@code ALTER USER CDI_SYNC SET RSA_PUBLIC_KEY='MIIB...';}
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the user name is empty, longer than
     *         255 characters, or holds a control character
     */
    public String alterUserStatement(String user, KeySlot slot) {
        requireNonNull(slot, "slot is null");
        return "ALTER USER " + quotedUser(user) + " SET " + slot.propertyName() + "='" + publicKeyBase64 + "';";
    }

    /**
     * The statement that removes the public key from a slot of a Snowflake user, to retire a key after a rotation.
     *
     * @param user the Snowflake user name, quoted as in {@link #alterUserStatement(String, KeySlot)}
     * @param slot the slot to empty
     * @return for example {@code ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY_2;}
     * @throws CdiException with {@link ErrorCode#INVALID_CONFIGURATION} when the user name is empty, longer than
     *         255 characters, or holds a control character
     */
    public static String unsetStatement(String user, KeySlot slot) {
        requireNonNull(slot, "slot is null");
        return "ALTER USER " + quotedUser(user) + " UNSET " + slot.propertyName() + ";";
    }

    /**
     * The private key, for the driver to sign its login JWT with.
     *
     * @return the RSA private key (JDK key classes)
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * The public key, for checking a signature.
     *
     * @return the RSA public key (JDK key classes)
     */
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Whether another object is a key pair holding the same key.
     *
     * @param other any object
     * @return true for the same key
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof SnowflakeKeyPair that && privateKey.equals(that.privateKey);
    }

    /**
     * A hash of the public key, consistent with {@link #equals(Object)}.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return publicKeyBase64.hashCode();
    }

    /**
     * The key size and fingerprint, never key material.
     *
     * @return for example {@code SnowflakeKeyPair[RSA 2048 SHA256:...]}
     */
    @Override
    public String toString() {
        return "SnowflakeKeyPair[RSA " + publicKey.getModulus().bitLength() + " " + fingerprint + "]";
    }

    static String quotedUser(String user) {
        requireNonNull(user, "user is null");
        if (user.isEmpty()) {
            throw invalid("The Snowflake user name is empty");
        }
        if (user.length() > MAX_IDENTIFIER_LENGTH) {
            throw invalid("The Snowflake user name has " + user.length() + " characters; Snowflake allows at most "
                    + MAX_IDENTIFIER_LENGTH);
        }
        if (user.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("The Snowflake user name holds a control character");
        }
        if (UNQUOTED_IDENTIFIER.matcher(user).matches()) {
            return user;
        }
        return "\"" + user.replace("\"", "\"\"") + "\"";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK offers no SHA-256", e);
        }
    }

    private static CdiException noPassphrase() {
        return invalid("The Snowflake private key is encrypted and no passphrase was given for it");
    }

    private static CdiException wrongPassphrase() {
        return invalid("The passphrase does not decrypt the Snowflake private key (or the stored key is damaged)");
    }

    private static CdiException invalid(String message) {
        return new CdiException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** The Bouncy Castle provider, created once; not registered globally by this class. */
    static final class BouncyCastle {
        static final Provider PROVIDER = registeredOrNew();

        private static Provider registeredOrNew() {
            // Not any provider named "BC": the Snowflake driver registers its shaded copy under that name, whose
            // key classes are not Bouncy Castle's (and which Apache SSHD cannot encode).
            Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
            return registered instanceof BouncyCastleProvider ? registered : new BouncyCastleProvider();
        }
    }
}

package dev.cdi.snowflake.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SnowflakeKeyPairTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final String OPENSSL_PASSPHRASE = "test-passphrase";

    private static SnowflakeKeyPair key;
    private static String pem;

    @BeforeAll
    static void encryptOnce() {
        // Encrypting costs about half a second (600,000 PBKDF2 rounds), so the tests share one PEM.
        key = SnowflakeKeyPair.generate();
        pem = key.encryptedPrivateKeyPem(PASSPHRASE);
    }

    @Test
    void generatesAnRsa2048KeyWhosePublicKeyIsOneLineOfBase64Der() throws Exception {
        assertThat(((RSAPrivateCrtKey) key.privateKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(key.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(key.publicKeyBase64()).startsWith("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")
                .matches("[A-Za-z0-9+/]+=*");
        byte[] der = Base64.getDecoder().decode(key.publicKeyBase64());
        assertThat(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der))).isEqualTo(key.publicKey());
        assertThat(SnowflakeKeyPair.generate()).isNotEqualTo(key);
    }

    @Test
    void fingerprintIsTheBase64OfTheSha256OfTheDerPublicKey() throws Exception {
        // The DER built by Bouncy Castle from the modulus and exponent alone, not taken from the class under test.
        byte[] der = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(new RSAKeyParameters(false,
                key.publicKey().getModulus(), key.publicKey().getPublicExponent())).getEncoded("DER");
        String expected = "SHA256:" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));

        assertThat(key.fingerprint()).isEqualTo(expected).matches("SHA256:[A-Za-z0-9+/]{43}=");
        assertThat(key.publicKeyBase64()).isEqualTo(Base64.getEncoder().encodeToString(der));
    }

    @Test
    void readsOpensslsPkcs1KeyWithTheFingerprintOpensslComputes() throws Exception {
        SnowflakeKeyPair read = SnowflakeKeyPair.fromPem(resource("openssl-genrsa-traditional.pem"), Optional.empty());

        assertThat(resource("openssl-genrsa-traditional.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(read.fingerprint()).isEqualTo("SHA256:" + resource("openssl-genrsa-traditional.fingerprint").strip());
        assertThat(read.publicKeyBase64()).isEqualTo(resource("openssl-genrsa-traditional.public-base64").strip());
        assertSignsFor(read, read);
    }

    @Test
    void readsOpensslsEncryptedPkcs8InSnowflakesDocumentedForms() throws Exception {
        SnowflakeKeyPair plain = SnowflakeKeyPair.fromPem(resource("openssl-genrsa-traditional.pem"), Optional.empty());

        for (String file : new String[] {"openssl-pkcs8-aes256.pem", "openssl-pkcs8-des3.pem"}) {
            String text = resource(file);
            assertThat(text).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            SnowflakeKeyPair read = SnowflakeKeyPair.fromPem(text, Optional.of(OPENSSL_PASSPHRASE.toCharArray()));
            assertThat(read).as(file).isEqualTo(plain);
            assertThat(read.fingerprint()).isEqualTo(plain.fingerprint());
        }
    }

    @Test
    void encryptedPemRoundTrips() throws Exception {
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n").doesNotContain("RSA PRIVATE KEY");

        SnowflakeKeyPair read = SnowflakeKeyPair.fromPem(pem, Optional.of(PASSPHRASE.clone()));

        assertThat(read).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(read.fingerprint()).isEqualTo(key.fingerprint());
        assertThat(read.publicKeyBase64()).isEqualTo(key.publicKeyBase64());
        assertSignsFor(read, key);
    }

    @Test
    void pemIsEncryptedWithAes256AndPbkdf2HmacSha256() throws Exception {
        PKCS8EncryptedPrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            info = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
        }

        assertThat(info.getEncryptionAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        assertThat(pbes2.getEncryptionScheme().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
        PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertThat(kdf.getIterationCount().intValue()).isEqualTo(600_000);
        assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
        assertThat(kdf.getSalt()).hasSizeGreaterThanOrEqualTo(16);
        assertThat(key.encryptedPrivateKeyPem(PASSPHRASE)).as("a fresh salt each time").isNotEqualTo(pem);
    }

    @Test
    void wrongPassphraseIsRefusedWithoutEchoingIt() {
        String wrong = "wrong passphrase 7";

        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(pem, Optional.of(wrong.toCharArray())))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessage("The passphrase does not decrypt the Snowflake private key (or the stored key is damaged)")
                .hasNoCause()
                .satisfies(e -> assertNoSecrets(e.getMessage(), wrong));
    }

    @Test
    void encryptedKeyWithoutPassphraseIsRefused() {
        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(pem, Optional.empty()))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessage("The Snowflake private key is encrypted and no passphrase was given for it");
    }

    @Test
    void readsUnencryptedPkcs8() throws Exception {
        String plain = pem("PRIVATE KEY", key.privateKey().getEncoded());

        assertThat(SnowflakeKeyPair.fromPem(plain, Optional.empty())).isEqualTo(key);
        assertThat(SnowflakeKeyPair.fromPem(plain, Optional.of(PASSPHRASE))).as("a passphrase is not needed")
                .isEqualTo(key);
    }

    @Test
    void readsPkcs1PlainAndWithOpensslsLegacyEncryption() throws Exception {
        String pkcs1 = writePem(key.privateKey(), false);
        String legacy = writePem(key.privateKey(), true);

        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(legacy).startsWith("-----BEGIN RSA PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED");
        assertThat(SnowflakeKeyPair.fromPem(pkcs1, Optional.empty())).isEqualTo(key);
        assertThat(SnowflakeKeyPair.fromPem(legacy, Optional.of(PASSPHRASE))).isEqualTo(key);
        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(legacy, Optional.of("not it at all".toCharArray())))
                .isInstanceOf(CdiException.class)
                .hasMessageStartingWith("The passphrase does not decrypt")
                .hasNoCause();
        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(legacy, Optional.empty()))
                .isInstanceOf(CdiException.class)
                .hasMessageContaining("no passphrase");
    }

    @Test
    void aKeyShorterThan2048BitsIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024, new SecureRandom());
        PrivateKey small = generator.generateKeyPair().getPrivate();

        for (String text : new String[] {pem("PRIVATE KEY", small.getEncoded()), writePem(small, false)}) {
            assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(text, Optional.empty()))
                    .isInstanceOf(CdiException.class)
                    .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                    .hasMessage("The Snowflake private key is a 1024-bit RSA key; Snowflake's key-pair authentication"
                            + " needs at least 2048 bits (cdi keygen --snowflake generates one)");
        }
    }

    @Test
    void anEcKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        PrivateKey ec = generator.generateKeyPair().getPrivate();

        for (String text : new String[] {pem("PRIVATE KEY", ec.getEncoded()), writePem(ec, false)}) {
            assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(text, Optional.empty()))
                    .isInstanceOf(CdiException.class)
                    .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                    .hasMessage("The Snowflake private key is an EC key; Snowflake's key-pair authentication needs an"
                            + " RSA key of at least 2048 bits (cdi keygen --snowflake generates one)");
        }
    }

    @Test
    void textThatIsNotAPrivateKeyIsRefused() {
        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem("not a key", Optional.empty()))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessageContaining("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        String publicKey = pem("PUBLIC KEY", key.publicKey().getEncoded());
        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(publicKey, Optional.empty()))
                .isInstanceOf(CdiException.class)
                .hasMessageStartingWith("The Snowflake private key's PEM text does not begin with a private key");
        String damaged = pem.replace(pem.split("\n")[2], "!!!!not base64!!!!");
        assertThatThrownBy(() -> SnowflakeKeyPair.fromPem(damaged, Optional.of(PASSPHRASE)))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasNoCause()
                .satisfies(e -> assertNoSecrets(e.getMessage(), new String(PASSPHRASE)));
    }

    @Test
    void emptyPassphraseIsRefused() {
        assertThatThrownBy(() -> key.encryptedPrivateKeyPem(new char[0]))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
    }

    @Test
    void statementsForEachSlot() {
        String publicKey = key.publicKeyBase64();

        assertThat(key.alterUserStatement("CDI_SYNC", KeySlot.FIRST))
                .isEqualTo("ALTER USER CDI_SYNC SET RSA_PUBLIC_KEY='" + publicKey + "';");
        assertThat(key.alterUserStatement("cdi_sync", KeySlot.SECOND))
                .isEqualTo("ALTER USER cdi_sync SET RSA_PUBLIC_KEY_2='" + publicKey + "';");
        assertThat(SnowflakeKeyPair.unsetStatement("CDI_SYNC", KeySlot.SECOND))
                .isEqualTo("ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY_2;");
        assertThat(SnowflakeKeyPair.unsetStatement("CDI_SYNC", KeySlot.FIRST))
                .isEqualTo("ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY;");
    }

    @Test
    void userNamesAreQuotedUnlessPlainIdentifiers() {
        assertThat(SnowflakeKeyPair.unsetStatement("_svc$cdi_2", KeySlot.FIRST))
                .isEqualTo("ALTER USER _svc$cdi_2 UNSET RSA_PUBLIC_KEY;");
        assertThat(SnowflakeKeyPair.unsetStatement("cdi@acme.com", KeySlot.FIRST))
                .isEqualTo("ALTER USER \"cdi@acme.com\" UNSET RSA_PUBLIC_KEY;");
        assertThat(SnowflakeKeyPair.unsetStatement("2cdi", KeySlot.FIRST))
                .isEqualTo("ALTER USER \"2cdi\" UNSET RSA_PUBLIC_KEY;");
        assertThat(key.alterUserStatement("we\"ird user", KeySlot.SECOND))
                .isEqualTo("ALTER USER \"we\"\"ird user\" SET RSA_PUBLIC_KEY_2='" + key.publicKeyBase64() + "';");
        for (String bad : new String[] {"", "two\nlines", "x".repeat(256)}) {
            assertThatThrownBy(() -> key.alterUserStatement(bad, KeySlot.FIRST))
                    .isInstanceOf(CdiException.class)
                    .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                    .hasMessageStartingWith("The Snowflake user name");
        }
    }

    @Test
    void keySlots() {
        assertThat(KeySlot.ofNumber(1)).isEqualTo(KeySlot.FIRST);
        assertThat(KeySlot.ofNumber(2)).isEqualTo(KeySlot.SECOND);
        assertThat(KeySlot.FIRST.other()).isEqualTo(KeySlot.SECOND);
        assertThat(KeySlot.SECOND.other()).isEqualTo(KeySlot.FIRST);
        assertThat(KeySlot.SECOND.propertyName()).isEqualTo("RSA_PUBLIC_KEY_2");
        assertThat(KeySlot.SECOND.fingerprintPropertyName()).isEqualTo("RSA_PUBLIC_KEY_2_FP");
        assertThat(KeySlot.FIRST.fingerprintPropertyName()).isEqualTo("RSA_PUBLIC_KEY_FP");
        assertThatThrownBy(() -> KeySlot.ofNumber(3))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessage("A Snowflake user has public-key slots 1 and 2, not 3");
    }

    @Test
    void usesBouncyCastleItselfAfterTheSnowflakeDriverRegisteredItsShadedCopyAsBc() throws Exception {
        Class.forName("net.snowflake.client.api.driver.SnowflakeDriver");

        assertThat(Security.getProvider("BC")).as("the driver's shaded copy, registered by its class initializer")
                .isNotNull().isNotInstanceOf(BouncyCastleProvider.class);
        assertThat(SnowflakeKeyPair.BouncyCastle.PROVIDER).isInstanceOf(BouncyCastleProvider.class);
        SnowflakeKeyPair generated = SnowflakeKeyPair.generate();
        assertThat(SnowflakeKeyPair.fromPem(generated.encryptedPrivateKeyPem(PASSPHRASE), Optional.of(PASSPHRASE)))
                .isEqualTo(generated);
    }

    @Test
    void toStringShowsTheFingerprintOnly() {
        String text = key.toString();

        assertThat(text).isEqualTo("SnowflakeKeyPair[RSA 2048 " + key.fingerprint() + "]");
        assertNoSecrets(text, new String(PASSPHRASE));
        assertThat(text).doesNotContain(key.publicKeyBase64().substring(40, 80));
    }

    private static void assertSignsFor(SnowflakeKeyPair signer, SnowflakeKeyPair verifierKey) throws Exception {
        byte[] data = "the JWT the driver signs".getBytes(StandardCharsets.UTF_8);
        Signature signing = Signature.getInstance("SHA256withRSA");
        signing.initSign(signer.privateKey());
        signing.update(data);
        byte[] signature = signing.sign();
        Signature verifying = Signature.getInstance("SHA256withRSA");
        verifying.initVerify(verifierKey.publicKey());
        verifying.update(data);
        assertThat(verifying.verify(signature)).isTrue();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Bouncy Castle writes a JDK private key as PKCS#1 ("RSA PRIVATE KEY"), optionally with OpenSSL's legacy encryption. */
    private static String writePem(PrivateKey privateKey, boolean encrypted) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (encrypted) {
                writer.writeObject(privateKey, new JcePEMEncryptorBuilder("AES-256-CBC")
                        .setProvider(new BouncyCastleProvider()).build(PASSPHRASE));
            } else {
                writer.writeObject(privateKey);
            }
        }
        return text.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SnowflakeKeyPairTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static void assertNoSecrets(String text, String passphrase) {
        assertThat(text).doesNotContain(passphrase);
        String privateEncoded = Base64.getEncoder().encodeToString(key.privateKey().getEncoded());
        assertThat(text).doesNotContain(privateEncoded.substring(0, 20));
        for (String line : pem.split("\n")) {
            if (!line.startsWith("-----") && !line.isBlank()) {
                assertThat(text).doesNotContain(line);
            }
        }
    }
}

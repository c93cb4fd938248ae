package dev.cdi.redshift.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SshKeyPairTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    private static SshKeyPair key;
    private static String pem;

    @BeforeAll
    static void encryptOnce() {
        // Encrypting costs about half a second (600,000 PBKDF2 rounds), so the tests share one PEM.
        key = SshKeyPair.generate();
        pem = key.encryptedPrivateKeyPem(PASSPHRASE);
    }

    @Test
    void authorizedKeysLineParsesBackToTheSameKey() throws Exception {
        String line = key.authorizedKeysLine("cdi@workspace");

        assertThat(line).matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/]+=* cdi@workspace");
        AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
        assertThat(entry.getComment()).isEqualTo("cdi@workspace");
        PublicKey parsed = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        assertThat(KeyUtils.compareKeys(parsed, key.keyPair().getPublic())).isTrue();
        assertThat(KeyUtils.getFingerPrint(parsed)).isEqualTo(key.fingerprint());
    }

    @Test
    void fingerprintLooksLikeSshKeygens() {
        assertThat(key.fingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
        assertThat(SshKeyPair.generate().fingerprint()).isNotEqualTo(key.fingerprint());
    }

    @Test
    void blankCommentGivesTheKeyAlone() {
        assertThat(key.authorizedKeysLine("  ")).matches("ssh-ed25519 [A-Za-z0-9+/]+=*");
    }

    @Test
    void commentOnSeveralLinesIsRefused() {
        assertThatThrownBy(() -> key.authorizedKeysLine("cdi\nssh-ed25519 AAAA attacker"))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
    }

    @Test
    void encryptedPemRoundTrips() throws Exception {
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        SshKeyPair read = SshKeyPair.fromEncryptedPem(pem, PASSPHRASE.clone());

        assertThat(read.fingerprint()).isEqualTo(key.fingerprint());
        assertThat(read.keyPair().getPublic()).isEqualTo(key.keyPair().getPublic());
        byte[] data = "signed by the decrypted key".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(read.keyPair().getPrivate());
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key.keyPair().getPublic());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(read.authorizedKeysLine("c")).isEqualTo(key.authorizedKeysLine("c"));
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
    }

    @Test
    void wrongPassphraseIsAClearErrorThatLeaksNothing() {
        String wrong = "wrong passphrase 7";

        assertThatThrownBy(() -> SshKeyPair.fromEncryptedPem(pem, wrong.toCharArray()))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessage("The SSH private key could not be decrypted: the passphrase is wrong or the stored key is"
                        + " damaged")
                .hasNoCause()
                .satisfies(e -> assertNoSecrets(e.getMessage(), wrong));
    }

    @Test
    void textThatIsNotAPemIsRefused() {
        assertThatThrownBy(() -> SshKeyPair.fromEncryptedPem("not a key", PASSPHRASE))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessageContaining("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        String damaged = pem.replace(pem.split("\n")[2], "!!!!not base64!!!!");
        assertThatThrownBy(() -> SshKeyPair.fromEncryptedPem(damaged, PASSPHRASE))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasNoCause()
                .satisfies(e -> assertNoSecrets(e.getMessage(), new String(PASSPHRASE)));
    }

    @Test
    void unencryptedPemIsRefused() {
        String plain = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.keyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> SshKeyPair.fromEncryptedPem(plain, PASSPHRASE))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessageContaining("not encrypted")
                .satisfies(e -> assertNoSecrets(e.getMessage(), new String(PASSPHRASE)));
    }

    @Test
    void emptyPassphraseIsRefused() {
        assertThatThrownBy(() -> key.encryptedPrivateKeyPem(new char[0]))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION);
    }

    @Test
    void eachEncryptionUsesAFreshSalt() {
        assertThat(key.encryptedPrivateKeyPem(PASSPHRASE)).isNotEqualTo(pem);
    }

    @Test
    void toStringShowsTheFingerprintOnly() {
        String text = key.toString();

        assertThat(text).isEqualTo("SshKeyPair[ssh-ed25519 " + key.fingerprint() + "]");
        assertNoSecrets(text, new String(PASSPHRASE));
        String publicBody = key.authorizedKeysLine("").split(" ")[1];
        assertThat(text).doesNotContain(publicBody);
    }

    private static void assertNoSecrets(String text, String passphrase) {
        assertThat(text).doesNotContain(passphrase);
        String privateEncoded = Base64.getEncoder().encodeToString(key.keyPair().getPrivate().getEncoded());
        assertThat(text).doesNotContain(privateEncoded.substring(0, 20));
        for (String line : pem.split("\n")) {
            if (!line.startsWith("-----") && !line.isBlank()) {
                assertThat(text).doesNotContain(line);
            }
        }
    }
}

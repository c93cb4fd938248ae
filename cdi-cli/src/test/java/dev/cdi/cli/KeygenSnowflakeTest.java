package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cdi.snowflake.keys.KeySlot;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenSnowflakeTest {
    @TempDir
    Path directory;

    @Test
    void writesAnEncryptedKeyAndPrintsTheAlterUserStatement() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "correct horse\n");
        Path key = directory.resolve("keys/snowflake.pem");

        TestingCli.Result result = TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--out",
                key.toString(), "--passphrase-file", passphrase.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        String pem = Files.readString(key);
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        SnowflakeKeyPair decrypted = SnowflakeKeyPair.fromPem(pem, Optional.of("correct horse".toCharArray()));
        assertThat(result.out())
                .contains(decrypted.alterUserStatement("CDI_SYNC", KeySlot.FIRST))
                .contains("ALTER USER CDI_SYNC SET RSA_PUBLIC_KEY='MIIB")
                .contains("Key fingerprint: " + decrypted.fingerprint() + " (DESC USER shows it as RSA_PUBLIC_KEY_FP)")
                .contains("privateKey: ${file:" + key.toAbsolutePath() + "}")
                .contains("privateKeyPassphrase: ${file:" + passphrase.toAbsolutePath() + "}")
                .contains("ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY_2;")
                .doesNotContain("correct horse")
                .doesNotContain("PRIVATE KEY");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void secondSlotAndAUserNameThatNeedsQuotes() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "correct horse\n");
        Path key = directory.resolve("rotated.pem");

        TestingCli.Result result = TestingCli.run("keygen", "--snowflake", "--user", "cdi@acme.com", "--slot", "2",
                "--out", key.toString(), "--passphrase-file", passphrase.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        SnowflakeKeyPair decrypted = SnowflakeKeyPair.fromPem(Files.readString(key),
                Optional.of("correct horse".toCharArray()));
        assertThat(result.out())
                .contains("ALTER USER \"cdi@acme.com\" SET RSA_PUBLIC_KEY_2='" + decrypted.publicKeyBase64() + "';")
                .contains("(DESC USER shows it as RSA_PUBLIC_KEY_2_FP)")
                .contains("ALTER USER \"cdi@acme.com\" UNSET RSA_PUBLIC_KEY;");
    }

    @Test
    void sshKeysStillWorkOnceTheSnowflakeDriverIsLoaded() throws Exception {
        // Its class initializer registers its shaded Bouncy Castle as "BC"; SSH keys made with that one broke SSHD.
        Class.forName("net.snowflake.client.api.driver.SnowflakeDriver");
        Path passphrase = Files.writeString(directory.resolve("pass"), "correct horse\n");

        TestingCli.Result ssh = TestingCli.run("keygen", "--out", directory.resolve("bastion.pem").toString(),
                "--passphrase-file", passphrase.toString());
        TestingCli.Result snowflake = TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--out",
                directory.resolve("snowflake.pem").toString(), "--passphrase-file", passphrase.toString());

        assertThat(ssh.exitCode()).as(ssh.err()).isZero();
        assertThat(snowflake.exitCode()).as(snowflake.err()).isZero();
    }

    @Test
    void neverOverwritesAKey() throws Exception {
        Path key = Files.writeString(directory.resolve("existing.pem"), "keep me");
        Path passphrase = Files.writeString(directory.resolve("pass"), "long enough secret");

        TestingCli.Result result = TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--out",
                key.toString(), "--passphrase-file", passphrase.toString());

        TestingCli.assertUsageError(result, key + ": already exists; refusing to overwrite a key", directory);
        assertThat(Files.readString(key)).isEqualTo("keep me");
    }

    @Test
    void withoutAPassphraseExitsWithTwoAndNamesTheVariable() {
        Path key = directory.resolve("new.pem");

        TestingCli.Result named = TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--out",
                key.toString(), "--passphrase-env", "CDI_TEST_VARIABLE_THAT_IS_NOT_SET");
        TestingCli.assertUsageError(named,
                "no passphrase: set the environment variable CDI_TEST_VARIABLE_THAT_IS_NOT_SET", directory);
        assertThat(key).doesNotExist();

        assumeTrue(System.getenv(KeygenCommand.DEFAULT_SNOWFLAKE_PASSPHRASE_VARIABLE) == null,
                "CDI_SNOWFLAKE_KEY_PASSPHRASE is set in this environment");
        TestingCli.Result byDefault = TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--out",
                key.toString());
        TestingCli.assertUsageError(byDefault,
                "no passphrase: set the environment variable CDI_SNOWFLAKE_KEY_PASSPHRASE", directory);
        assertThat(key).doesNotExist();
    }

    @Test
    void aShortPassphraseIsRefused() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "short12\n");
        Path key = directory.resolve("snowflake.pem");

        TestingCli.Result result = TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--out",
                key.toString(), "--passphrase-file", passphrase.toString());

        TestingCli.assertUsageError(result, "the passphrase has 7 characters; use at least 8", directory);
        assertThat(result.err()).doesNotContain("short12");
        assertThat(key).doesNotExist();
    }

    @Test
    void optionsOfTheOtherKindOfKeyAreRefusedBeforeAnyFileExists() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "correct horse\n");
        String key = directory.resolve("snowflake.pem").toString();
        String file = passphrase.toString();

        TestingCli.assertUsageError(TestingCli.run("keygen", "--snowflake", "--out", key, "--passphrase-file", file),
                "--snowflake needs --user NAME", directory);
        TestingCli.assertUsageError(TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--slot", "3",
                "--out", key, "--passphrase-file", file), "--slot: A Snowflake user has public-key slots 1 and 2, not 3",
                directory);
        TestingCli.assertUsageError(TestingCli.run("keygen", "--user", "CDI_SYNC", "--out", key, "--passphrase-file",
                file), "--user and --slot are for Snowflake keys: add --snowflake", directory);
        TestingCli.assertUsageError(TestingCli.run("keygen", "--snowflake", "--user", "CDI_SYNC", "--comment", "x",
                "--out", key, "--passphrase-file", file), "--comment is for SSH keys", directory);
        TestingCli.assertUsageError(TestingCli.run("keygen", "--snowflake", "--user", "two\nlines", "--out", key,
                "--passphrase-file", file), "The Snowflake user name holds a control character", directory);
        assertThat(Path.of(key)).doesNotExist();
    }
}

package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.redshift.tunnel.SshKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
    @TempDir
    Path directory;

    @Test
    void writesAnEncryptedKeyAndPrintsItsAuthorizedKeysLine() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "correct horse\n");
        Path key = directory.resolve("keys/bastion.pem");

        TestingCli.Result result = TestingCli.run("keygen", "--out", key.toString(), "--passphrase-file",
                passphrase.toString(), "--comment", "cdi@acme");

        assertThat(result.exitCode()).as(result.err()).isZero();
        String pem = Files.readString(key);
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        SshKeyPair decrypted = SshKeyPair.fromEncryptedPem(pem, "correct horse".toCharArray());
        assertThat(result.out()).contains(decrypted.authorizedKeysLine("cdi@acme"), decrypted.fingerprint())
                .doesNotContain("correct horse").doesNotContain("PRIVATE KEY");
    }

    @Test
    void neverOverwritesAKeyAndNeedsAPassphrase() throws Exception {
        Path key = Files.writeString(directory.resolve("existing.pem"), "keep me");
        Path passphrase = Files.writeString(directory.resolve("pass"), "long enough secret");

        TestingCli.Result exists = TestingCli.run("keygen", "--out", key.toString(), "--passphrase-file", passphrase.toString());
        assertThat(exists.exitCode()).isEqualTo(2);
        assertThat(exists.err()).contains("already exists");
        assertThat(Files.readString(key)).isEqualTo("keep me");

        TestingCli.Result noPassphrase = TestingCli.run("keygen", "--out", directory.resolve("new.pem").toString(),
                "--passphrase-env", "CDI_TEST_VARIABLE_THAT_IS_NOT_SET");
        assertThat(noPassphrase.exitCode()).isEqualTo(2);
        assertThat(noPassphrase.err()).contains("CDI_TEST_VARIABLE_THAT_IS_NOT_SET");
        assertThat(directory.resolve("new.pem")).doesNotExist();
    }

    @Test
    void aRefusedCommentLeavesNoKeyFile() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "correct horse\n");
        Path key = directory.resolve("bastion.pem");

        TestingCli.Result result = TestingCli.run("keygen", "--out", key.toString(), "--passphrase-file",
                passphrase.toString(), "--comment", "two\nlines");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(key).doesNotExist();
    }

    @Test
    void aPassphraseShorterThanEightCharactersIsRefused() throws Exception {
        Path passphrase = Files.writeString(directory.resolve("pass"), "short12\n");
        Path key = directory.resolve("bastion.pem");

        TestingCli.Result result = TestingCli.run("keygen", "--out", key.toString(), "--passphrase-file",
                passphrase.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("the passphrase has 7 characters; use at least 8").doesNotContain("short12");
        assertThat(key).doesNotExist();
    }
}

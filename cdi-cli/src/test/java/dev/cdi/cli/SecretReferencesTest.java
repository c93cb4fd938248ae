package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.ConnectorSettings;
import dev.cdi.core.ConnectorRegistry;
import dev.cdi.redshift.tunnel.SshKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * <code>${env:NAME}</code> and <code>${file:PATH}</code> in secret connection settings (SPEC section 12): resolved when
 * the file is read, refused anywhere else, and never shown in a message. The environment is a map here, except in
 * the command-line cases, which name a variable nobody sets.
 */
class SecretReferencesTest {
    private static final String SECRET = "s3cret-Pa55-from-env";
    private static final String UNSET_VARIABLE = "CDI_TEST_SURELY_UNSET_VARIABLE_7F3A";
    private static final Function<String, Optional<String>> ENVIRONMENT =
            name -> Optional.ofNullable(Map.of("CDI_TEST_PASSWORD", SECRET, "CDI_TEST_EMPTY", "",
                    "CDI_TEST_PASSPHRASE", "correct horse", "CDI_TEST_REFERENCE", "${env:CDI_TEST_PASSWORD}").get(name));
    private static final String CONNECTION = "<connection>";
    private static final String REDSHIFT = "stateDir: state\n"
            + "integrations:\n"
            + "  - name: users\n"
            + "    connector: redshift\n"
            + "    connection:\n"
            + "      host: warehouse.example.com\n"
            + "      database: dev\n"
            + "      user: cdi\n"
            + CONNECTION
            + "    table: crm.users\n"
            + "    dataType: attributes\n"
            + "    sink:\n"
            + "      jsonl: out/users.jsonl\n";

    @TempDir
    Path directory;

    @Test
    void anEnvironmentVariableBecomesTheSecretSetting() throws IOException {
        ConfigFile config = load(redshift("      password: ${env:CDI_TEST_PASSWORD}\n"));

        IntegrationConfig users = config.integrations().get(0);
        ConnectorSettings settings = users.spec().connectorSettings();
        assertThat(settings.require("password")).isEqualTo(SECRET);
        assertThat(settings.toString()).contains("password=****").doesNotContain(SECRET);
        assertThat(users.toString()).doesNotContain(SECRET);
        assertThat(config.toString()).doesNotContain(SECRET);
    }

    @Test
    void aFileBecomesTheSecretSettingKeepingAPemKeysInnerLineBreaks() throws IOException {
        SshKeyPair key = SshKeyPair.generate();
        String pem = SecretReferences.withoutOneLineBreak(key.encryptedPrivateKeyPem("correct horse".toCharArray()));
        Files.createDirectories(directory.resolve("keys"));
        Files.writeString(directory.resolve("keys/bastion.pem"), pem + "\r\n");

        // validate() decrypts the key, so a key whose line breaks were lost would fail here.
        ConfigFile config = load(redshift("      password: ${file:keys/../keys/bastion.pem}\n"
                + "      sshHost: bastion.example.com\n"
                + "      sshUser: cdi\n"
                + "      sshPrivateKey: '${file:keys/bastion.pem}'\n"
                + "      sshPrivateKeyPassphrase: \"${env:CDI_TEST_PASSPHRASE}\"\n"
                + "      sshHostKeyFingerprint: " + key.fingerprint() + "\n"));

        ConnectorSettings settings = config.integrations().get(0).spec().connectorSettings();
        assertThat(settings.require("sshPrivateKey")).isEqualTo(pem).contains("\n").doesNotEndWith("\n");
        assertThat(settings.require("password")).isEqualTo(pem);
        assertThat(settings.require("sshPrivateKeyPassphrase")).isEqualTo("correct horse");
        assertThat(config.toString()).doesNotContain("PRIVATE KEY").doesNotContain("correct horse");
    }

    @Test
    void onlyOneTrailingLineBreakIsRemoved() {
        assertThat(SecretReferences.withoutOneLineBreak("pw\n\n")).isEqualTo("pw\n");
        assertThat(SecretReferences.withoutOneLineBreak("pw\r\n")).isEqualTo("pw");
        assertThat(SecretReferences.withoutOneLineBreak("pw\n")).isEqualTo("pw");
        assertThat(SecretReferences.withoutOneLineBreak("pw ")).isEqualTo("pw ");
    }

    @Test
    void aResolvedValueIsTakenAsItIs() throws IOException {
        ConfigFile config = load(redshift("      password: ${env:CDI_TEST_REFERENCE}\n"));

        assertThat(config.integrations().get(0).spec().connectorSettings().require("password"))
                .isEqualTo("${env:CDI_TEST_PASSWORD}");
    }

    @Test
    void doubleDollarWritesALiteralReferenceStart() throws IOException {
        ConfigFile config = load(redshift("      password: pa$$${not:a-reference}$$\n      user: $${x}\n")
                .replace("      user: cdi\n", ""));

        ConnectorSettings settings = config.integrations().get(0).spec().connectorSettings();
        assertThat(settings.require("password")).isEqualTo("pa$${not:a-reference}$$");
        assertThat(settings.require("user")).isEqualTo("${x}");
    }

    @Test
    void anUnsetVariableIsAConfigurationErrorNamingIt() throws IOException {
        Path file = write(redshift("      password: ${env:" + UNSET_VARIABLE + "}\n"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file
                + ": integrations[0] (users).connection.password: ${env:" + UNSET_VARIABLE + "}: the environment variable "
                + UNSET_VARIABLE + " is not set");
    }

    @Test
    void anEmptyVariableIsAConfigurationError() {
        assertRefused("      password: ${env:CDI_TEST_EMPTY}\n",
                "password: ${env:CDI_TEST_EMPTY}: the environment variable CDI_TEST_EMPTY is empty");
    }

    @Test
    void aMissingFileIsAConfigurationErrorNamingItsPath() throws IOException {
        Path file = write(redshift("      password: ${file:secrets/nope.txt}\n"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file
                + ": integrations[0] (users).connection.password: ${file:secrets/nope.txt} ("
                + directory.toAbsolutePath().resolve("secrets/nope.txt") + "): no such file");
    }

    @Test
    void aFileThatCannotBeASecretIsRefused() throws IOException {
        Files.write(directory.resolve("huge.txt"), new byte[SecretReferences.MAX_FILE_BYTES + 1]);
        Files.createDirectories(directory.resolve("secrets"));
        Files.writeString(directory.resolve("empty.txt"), "\n");
        Files.write(directory.resolve("latin1.txt"), new byte[] {'p', (byte) 0xE9});

        assertRefused("      password: ${file:huge.txt}\n", "huge.txt) is larger than 1 MB");
        assertRefused("      password: ${file:secrets}\n", "secrets) is a directory, not a file");
        assertRefused("      password: ${file:empty.txt}\n", "empty.txt) is empty");
        assertRefused("      password: ${file:latin1.txt}\n", "latin1.txt) is not UTF-8 text");
    }

    @Test
    void aFileOfExactlyTheLimitIsRead() throws IOException {
        Files.writeString(directory.resolve("big.txt"), "x".repeat(SecretReferences.MAX_FILE_BYTES));

        ConfigFile config = load(redshift("      password: ${file:big.txt}\n"));

        assertThat(config.integrations().get(0).spec().connectorSettings().require("password"))
                .hasSize(SecretReferences.MAX_FILE_BYTES);
    }

    @Test
    void aReferenceInASettingThatIsNotSecretIsRefused() throws IOException {
        Path file = write(redshift("      password: pw\n").replace("host: warehouse.example.com", "host: ${env:HOME}"));

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file
                + ": integrations[0] (users).connection.host: a reference such as ${env:NAME} or ${file:PATH} is "
                + "resolved in secret settings only (redshift's are password, sshPrivateKey, sshPrivateKeyPassphrase)");
    }

    @Test
    void aReferenceInAConnectorWithoutSecretsIsRefused() throws IOException {
        Path file = write("stateDir: state\nintegrations:\n  - name: users\n    connector: duckdb\n"
                + "    connection:\n      path: ${file:warehouse-path.txt}\n    table: main.users_sync\n"
                + "    dataType: attributes\n    sink:\n      jsonl: out/users.jsonl\n");

        assertUsageError(TestingCli.run("sync", "--config", file.toString()), file
                + ": integrations[0] (users).connection.path: a reference such as ${env:NAME} or ${file:PATH} is "
                + "resolved in secret settings only (duckdb has none); this value would be used as written");
    }

    @Test
    void aReferenceMustBeTheWholeValue() throws IOException {
        for (String value : new String[] {"pre-${env:CDI_TEST_PASSWORD}", "${env:CDI_TEST_PASSWORD}-post",
            "${env:CDI_TEST_PASSWORD}${env:CDI_TEST_PASSWORD}", "${env:CDI_TEST_PASSWORD"}) {
            assertRefused("      password: '" + value + "'\n",
                    "password: a reference must be the whole value, exactly ${env:NAME} or ${file:PATH} with no text "
                            + "around it; write $${ for a literal ${");
        }
        Path file = write(redshift("      password: 'Hunter2-${env:" + UNSET_VARIABLE + "}'\n"));

        TestingCli.Result result = TestingCli.run("sync", "--config", file.toString());

        assertUsageError(result, file + ": integrations[0] (users).connection.password: a reference must be");
        assertThat(result.err()).doesNotContain("Hunter2");
    }

    @Test
    void anUnknownSchemeOrABadVariableNameIsRefused() throws IOException {
        assertRefused("      password: ${vault:secret/cdi}\n",
                "password: the only references are ${env:NAME} and ${file:PATH}; write $${ for a literal ${");
        assertThat(refusal(redshift("      password: ${Hunter2}\n"))).contains("the only references are ")
                .doesNotContain("Hunter2");
        assertRefused("      password: ${env:1PASSWORD}\n",
                "password: the variable name in ${env:NAME} must match [A-Za-z_][A-Za-z0-9_]*");
        assertRefused("      password: ${env:}\n", "password: the variable name in ${env:NAME} must match ");
        assertRefused("      password: ${file:}\n", "password: the path in ${file:PATH} must be non-empty");

        Path file = write(redshift("      password: ${vault:secret/cdi}\n"));
        assertUsageError(TestingCli.run("sync", "--config", file.toString()),
                file + ": integrations[0] (users).connection.password: the only references are");
    }

    @Test
    void noErrorShowsAResolvedSecret() throws IOException {
        Files.writeString(directory.resolve("not-a-key.pem"), "-----BEGIN NOT A KEY-----\n" + SECRET + "\n");

        assertThat(refusal(redshift("      password: ${env:CDI_TEST_PASSWORD}\n      port: nope\n")))
                .contains("port").doesNotContain(SECRET);
        assertThat(refusal(redshift("      password: ${env:CDI_TEST_PASSWORD}\n"
                + "      sshHost: bastion.example.com\n      sshUser: cdi\n"
                + "      sshPrivateKey: ${file:not-a-key.pem}\n"
                + "      sshPrivateKeyPassphrase: ${env:CDI_TEST_PASSWORD}\n"
                + "      sshTrustOnFirstUse: true\n      sshKnownHostsFile: known_hosts\n")))
                .contains("sshPrivateKey").doesNotContain(SECRET).doesNotContain("NOT A KEY");
    }

    private static String redshift(String connection) {
        return REDSHIFT.replace(CONNECTION, connection);
    }

    private void assertRefused(String connection, String problem) {
        assertThat(refusal(redshift(connection))).startsWith(directory.resolve("cdi.yaml")
                + ": integrations[0] (users).connection.").contains(problem).doesNotContain(SECRET);
    }

    /** The message of the error loading the file gives, and that the exception shows no secret otherwise either. */
    private String refusal(String yaml) {
        Path file;
        try {
            file = write(yaml);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ConfigException[] thrown = new ConfigException[1];
        assertThatThrownBy(() -> ConfigFile.load(file, ConnectorRegistry.discover(), ENVIRONMENT))
                .isInstanceOfSatisfying(ConfigException.class, e -> thrown[0] = e);
        assertThat(thrown[0].toString()).doesNotContain(SECRET).doesNotContain("\n");
        return thrown[0].getMessage();
    }

    private ConfigFile load(String yaml) throws IOException {
        return ConfigFile.load(write(yaml), ConnectorRegistry.discover(), ENVIRONMENT);
    }

    private Path write(String yaml) throws IOException {
        return TestingCli.writeConfig(directory, yaml);
    }

    private void assertUsageError(TestingCli.Result result, String messageStart) {
        TestingCli.assertUsageError(result, messageStart, directory);
    }
}

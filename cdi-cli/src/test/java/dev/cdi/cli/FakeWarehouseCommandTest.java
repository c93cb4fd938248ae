package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cdi fake-warehouse snowflake}: served in-process and stopped by interrupting its thread, and once in a child
 * process stopped by SIGTERM, which runs its shutdown hook.
 */
class FakeWarehouseCommandTest {
    private static final Duration DEADLINE = Duration.ofMinutes(1);
    private static final Pattern PORT = Pattern.compile("(?m)^      port: (\\d+)$");
    private static final Pattern KEY_FILE = Pattern.compile("(?m)^      privateKey: \\$\\{file:(.+)}$");
    private static final Pattern PASSPHRASE_FILE =
            Pattern.compile("(?m)^      privateKeyPassphrase: \\$\\{file:(.+)}$");

    @TempDir
    Path directory;

    @Test
    void syncsTheTableOfADuckDbFileThroughTheRealDriver() throws Exception {
        Path data = TestingFakeWarehouse.usersFile(directory, false);
        Path keys = directory.resolve("keys");
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-warehouse", "snowflake", "--data", data.toString(), "--key-dir",
                keys.toString());
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving CDI.PUBLIC.USERS from " + data.toAbsolutePath()
                    + " as Snowflake account CDITEST on 127.0.0.1:");
            String connection = printed.substring(printed.indexOf("    connector: snowflake\n"),
                    printed.indexOf(FakeWarehouseCommand.SERVING_LINE));
            assertThat(connection)
                    .contains("      host: 127.0.0.1\n", "      ssl: false\n", "      user: CDI_USER\n",
                            "      database: CDI\n", "      schema: PUBLIC\n")
                    .contains("privateKey: ${file:" + keys.toAbsolutePath().resolve("snowflake-fake-key.pem") + "}")
                    .contains("privateKeyPassphrase: ${file:" + keys.toAbsolutePath().resolve("snowflake-fake-key.pass")
                            + "}");
            Path config = TestingCli.writeConfig(directory, "stateDir: state\n"
                    + "integrations:\n"
                    + "  - name: users\n"
                    + connection
                    + "    table: CDI.PUBLIC.USERS\n"
                    + "    dataType: attributes\n"
                    + "    sink:\n"
                    + "      jsonl: out/users.jsonl\n");

            TestingCli.Result sync = TestingCli.run("sync", "--config", config.toString(), "--json");

            assertThat(sync.exitCode()).as(sync.out() + sync.err()).isZero();
            assertThat(sync.out()).contains("\"status\":\"SUCCESS\"").contains("\"rowsSynced\":3");
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> rows = new ArrayList<>();
            for (String line : Files.readAllLines(directory.resolve("out/users.jsonl"), StandardCharsets.UTF_8)) {
                rows.add(json.readTree(line));
            }
            assertThat(rows).extracting(row -> row.get("identifier").get("value").asText())
                    .containsExactly("u1", "u2", "u3");
            assertThat(rows.get(0).get("updatedAt").asText()).isEqualTo("2026-01-02T03:04:05.123456Z");
            assertThat(rows.get(2).get("payload").get("plan").asText()).isEqualTo("free");
            int port = port(printed);

            assertThat(fake.stop()).isZero();

            assertThat(fake.out()).endsWith(FakeWarehouseCommand.SERVING_LINE + "\nStopped.\n");
            assertThat(fake.err()).isEmpty();
            assertThat(TestingFakeWarehouse.listening(port)).as("the fake stopped listening").isFalse();
        } finally {
            fake.stopQuietly();
        }
    }

    @Test
    void writesTheKeyEncryptedAndOwnerOnlyToANewTemporaryDirectoryByDefault() throws Exception {
        TestingFakeWarehouse fake = TestingFakeWarehouse.start("fake-warehouse", "snowflake", "--data", TestingFakeWarehouse.usersFile(directory, false).toString(),
                "--database", "trial");
        Path keyFile = null;
        try {
            String printed = fake.awaitServing();
            assertThat(printed).startsWith("Serving TRIAL.PUBLIC.USERS from ").contains("      database: TRIAL\n");
            keyFile = Path.of(TestingFakeWarehouse.group(KEY_FILE, printed));
            Path passphraseFile = Path.of(TestingFakeWarehouse.group(PASSPHRASE_FILE, printed));
            assertThat(keyFile.getParent()).isEqualTo(passphraseFile.getParent());
            assertThat(keyFile.getParent().getFileName().toString()).startsWith("cdi-fake-snowflake-");
            assertThat(Files.getPosixFilePermissions(keyFile.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            for (Path file : List.of(keyFile, passphraseFile)) {
                assertThat(Files.getPosixFilePermissions(file)).as(file.toString())
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
            String pem = Files.readString(keyFile);
            assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            String passphrase = Files.readString(passphraseFile).strip();
            assertThat(passphrase).hasSizeGreaterThanOrEqualTo(KeygenCommand.MIN_PASSPHRASE_LENGTH);
            assertThat(printed).doesNotContain(passphrase).doesNotContain("PRIVATE KEY");
            assertThat(SnowflakeKeyPair.fromPem(pem, Optional.of(passphrase.toCharArray())).publicKeyBase64())
                    .startsWith("MIIB");
            assertThat(fake.stop()).isZero();
        } finally {
            fake.stopQuietly();
            if (keyFile != null) {
                deleteRecursively(keyFile.getParent());
            }
        }
    }

    @Test
    void neverOverwritesAKeyFile() throws Exception {
        Path data = TestingFakeWarehouse.usersFile(directory, false);
        Path keys = Files.createDirectories(directory.resolve("keys"));
        Path existing = Files.writeString(keys.resolve(FakeWarehouseCommand.PASSPHRASE_FILE), "mine\n");

        TestingCli.Result result = TestingCli.run("fake-warehouse", "snowflake", "--data", data.toString(),
                "--key-dir", keys.toString());

        TestingCli.assertUsageError(result, existing + ": already exists; refusing to overwrite a key", directory);
        assertThat(Files.readString(existing)).isEqualTo("mine\n");
        assertThat(keys.resolve(FakeWarehouseCommand.KEY_FILE)).doesNotExist();
    }

    @Test
    void aMissingDataFileIsAUsageError() {
        Path missing = directory.resolve("missing.duckdb");

        TestingCli.Result result = TestingCli.run("fake-warehouse", "snowflake", "--data", missing.toString(),
                "--key-dir", directory.resolve("keys").toString());

        TestingCli.assertUsageError(result, "--data " + missing + ": no such file", directory);
        assertThat(directory.resolve("keys")).doesNotExist();
    }

    @Test
    void aFileThatIsNotADuckDbFileIsAUsageError() throws Exception {
        Path text = Files.writeString(directory.resolve("users.csv"), "UPDATED_AT,EXTERNAL_ID,PAYLOAD\n");

        TestingCli.Result result = TestingCli.run("fake-warehouse", "snowflake", "--data", text.toString(),
                "--key-dir", directory.resolve("keys").toString());

        TestingCli.assertUsageError(result, "--data " + text + ": cannot serve it: ", directory);
        assertThat(directory.resolve("keys")).doesNotExist();
    }

    @Test
    void anUnknownWarehouseIsAUsageErrorListingTheKnownOnes() throws Exception {
        TestingCli.Result result = TestingCli.run("fake-warehouse", "teradata", "--data", TestingFakeWarehouse.usersFile(directory, false).toString());

        TestingCli.assertUsageError(result, "unknown warehouse 'teradata'; known: bigquery, databricks, fabric,"
                + " snowflake",
                directory);
    }

    @Test
    void sigtermStopsTheServerAndExitsWithZero() throws Exception {
        Path data = TestingFakeWarehouse.usersFile(directory, false);
        Path log = directory.resolve("fake.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Cdi.class.getName(),
                "fake-warehouse", "snowflake", "--data", data.toString(), "--key-dir",
                directory.resolve("keys").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Instant deadline = Instant.now().plus(DEADLINE);
            while (!Files.readString(log).contains(FakeWarehouseCommand.SERVING_LINE)) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    fail("the fake did not start serving: " + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            int port = port(Files.readString(log));
            assertThat(TestingFakeWarehouse.listening(port)).isTrue();

            process.destroy();

            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the fake stopped").isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).endsWith(FakeWarehouseCommand.SERVING_LINE + "\nStopped.\n");
            assertThat(TestingFakeWarehouse.listening(port)).isFalse();
        } finally {
            process.destroyForcibly();
        }
    }


    private static int port(String printed) {
        return Integer.parseInt(TestingFakeWarehouse.group(PORT, printed));
    }


    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

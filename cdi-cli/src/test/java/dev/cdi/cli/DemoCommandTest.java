package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path directory;

    @Test
    void firstRunCreatesTheFilesAndReportsTheInvalidRows() throws IOException {
        TestingCli.Result result = TestingCli.run("demo", "--dir", directory.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(directory.resolve("warehouse.duckdb")).isRegularFile();
        assertThat(directory.resolve("cdi.yaml")).isRegularFile();
        assertThat(directory.resolve("state")).isDirectory();
        assertThat(result.out())
                .contains("Created the sample warehouse " + directory.resolve("warehouse.duckdb"))
                .contains("attributes: PARTIAL in ")
                .contains("; rows read " + DemoData.attributes().size() + ", synced "
                        + (DemoData.attributes().size() - 6) + ", failed 6, deferred 0; watermark 2025-06-02T09:48:20Z")
                .contains("events: PARTIAL in ")
                .contains("; rows read " + DemoData.events().size() + ", synced " + (DemoData.events().size() - 1)
                        + ", failed 1, deferred 0; watermark ")
                .contains("purchases: PARTIAL in ")
                .contains("row error INVALID_JSON: ")
                .contains("[external_id u0031, UPDATED_AT 2025-06-02T09:40:00Z]")
                .contains("row error INVALID_EMAIL: ")
                .contains("row error MISSING_IDENTIFIER: ")
                .contains("[no identifier, UPDATED_AT 2025-06-02T09:43:20Z]")
                .contains("row error MULTIPLE_IDENTIFIERS: ")
                .contains("row error IDENTIFIER_IN_PAYLOAD: ")
                .contains("row error INVALID_PHONE: ")
                .contains("row error MISSING_FIELD: ")
                .contains("row error INVALID_FIELD: ");
        assertThat(Files.readAllLines(directory.resolve("out/attributes.jsonl")))
                .hasSize(DemoData.attributes().size() - 6);
        assertThat(Files.readAllLines(directory.resolve("out/events.jsonl"))).hasSize(DemoData.events().size() - 1);
        assertThat(Files.readAllLines(directory.resolve("out/purchases.jsonl")))
                .hasSize(DemoData.purchases().size() - 1);
    }

    @Test
    void secondRunReadsNothing() {
        TestingCli.run("demo", "--dir", directory.toString());

        TestingCli.Result second = TestingCli.run("demo", "--dir", directory.toString());

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out())
                .contains("Using the sample warehouse")
                .contains("attributes: SUCCESS in ")
                .contains("events: SUCCESS in ")
                .contains("purchases: SUCCESS in ")
                .doesNotContain("row error");
        assertThat(second.out().split("rows read 0, synced 0, failed 0, deferred 0", -1)).hasSize(4);
    }

    @Test
    void addedRowsAreReadExactlyOnce() throws IOException {
        TestingCli.run("demo", "--dir", directory.toString());

        TestingCli.Result added = TestingCli.run("demo", "--dir", directory.toString(), "--add", "100");
        TestingCli.Result again = TestingCli.run("demo", "--dir", directory.toString());

        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out())
                .contains("Added 100 new or changed rows to main.user_attributes")
                .contains("attributes: SUCCESS in ")
                .contains("; rows read 100, synced 100, failed 0, deferred 0; watermark ")
                .contains("events: SUCCESS in ");
        assertThat(Files.readAllLines(directory.resolve("out/attributes.jsonl")))
                .hasSize(DemoData.attributes().size() - 6 + 100);
        assertThat(again.out()).doesNotContain("rows read 100").contains("attributes: SUCCESS in ");
    }

    @Test
    void negativeAddIsACommandLineError() {
        TestingCli.Result result = TestingCli.run("demo", "--dir", directory.toString(), "--add", "-5");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("cdi: --add must be between 0 and 1000000, was -5");
        assertThat(directory).isEmptyDirectory();
    }
}

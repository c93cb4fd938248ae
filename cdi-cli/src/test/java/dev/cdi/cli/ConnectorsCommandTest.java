package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.core.SettingsTable;
import dev.cdi.duckdb.DuckDbConnectorProvider;
import dev.cdi.redshift.RedshiftConnectorProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorsCommandTest {

    @TempDir
    Path directory;

    @Test
    void listsTheInstalledConnectorsWithTheirSummaries() {
        TestingCli.Result result = TestingCli.run("connectors");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().lines()).containsExactly(
                "bigquery    reads a table or view of a BigQuery dataset with a service account's key",
                "databricks  reads a table or view of a Databricks SQL warehouse, with a token or a service principal",
                "duckdb      reads a table of a local DuckDB database file",
                "fabric      reads a table or view of a Microsoft Fabric warehouse or SQL analytics endpoint, as a"
                        + " Microsoft Entra service principal",
                "redshift    reads a table or view of an Amazon Redshift cluster, directly or through an SSH tunnel",
                "snowflake   reads a table or view of a Snowflake account, logged in with a key pair CDI generates");
    }

    @Test
    void describePrintsTheSettingsTable() {
        TestingCli.Result result = TestingCli.run("connectors", "--describe", "duckdb");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("duckdb: reads a table of a local DuckDB database file\n\n"
                + SettingsTable.plainText(new DuckDbConnectorProvider().settings()));
        assertThat(result.out()).contains("SETTING", "path", "readOnly", "true");
    }

    @Test
    void describeInMarkdownPrintsTheReadmeTable() {
        TestingCli.Result result = TestingCli.run("connectors", "--describe", "redshift", "--markdown");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).endsWith(SettingsTable.markdown(new RedshiftConnectorProvider().settings()))
                .contains("| `sslMode` | one of `verify-full`, `verify-ca`, `require` | `verify-full` |")
                .contains("| `password` | string |  | yes | yes |");
    }

    @Test
    void anUnknownConnectorIsAUsageErrorNamingTheInstalledOnes() {
        TestingCli.Result result = TestingCli.run("connectors", "--describe", "teradata");

        TestingCli.assertUsageError(result,
                "No connector named 'teradata'; known connectors: bigquery, databricks, duckdb, fabric, redshift,"
                        + " snowflake",
                directory);
    }

    @Test
    void markdownWithoutDescribeIsAUsageError() {
        TestingCli.Result result = TestingCli.run("connectors", "--markdown");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("cdi: --markdown needs --describe NAME");
    }
}

package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.SourceConnectorProvider;
import dev.cdi.bigquery.BigQueryConnectorProvider;
import dev.cdi.databricks.DatabricksConnectorProvider;
import dev.cdi.core.SettingsTable;
import dev.cdi.duckdb.DuckDbConnectorProvider;
import dev.cdi.fabric.FabricConnectorProvider;
import dev.cdi.redshift.RedshiftConnectorProvider;
import dev.cdi.snowflake.SnowflakeConnectorProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's settings tables true: each connector's section holds, between the markers
 * {@code <!-- settings:NAME -->} and {@code <!-- /settings:NAME -->}, exactly the table
 * {@code cdi connectors --describe NAME --markdown} prints.
 */
class ReadmeSettingsTest {
    // Surefire runs in the module's directory; README.md is the project's, one level up.
    private static final Path README = Path.of("..", "README.md");

    @Test
    void eachConnectorsSettingsTableIsTheRenderedOne() throws IOException {
        String readme = Files.readString(README);
        for (SourceConnectorProvider provider : List.of(new DuckDbConnectorProvider(), new RedshiftConnectorProvider(),
                new SnowflakeConnectorProvider(), new BigQueryConnectorProvider(), new DatabricksConnectorProvider(),
                new FabricConnectorProvider())) {
            String start = "<!-- settings:" + provider.name() + " -->\n";
            String end = "<!-- /settings:" + provider.name() + " -->";
            int from = readme.indexOf(start);
            int to = readme.indexOf(end);
            assertThat(from).as("README has the marker %s", start.strip()).isNotNegative();
            assertThat(to).as("README has the marker %s", end).isGreaterThan(from);

            assertThat(readme.substring(from + start.length(), to))
                    .as("README's %s settings table; regenerate it with ./cdi connectors --describe %s --markdown",
                            provider.name(), provider.name())
                    .isEqualTo(SettingsTable.markdown(provider.settings()));
        }
    }
}

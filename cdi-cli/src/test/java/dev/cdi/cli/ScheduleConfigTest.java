package dev.cdi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.core.ConnectorRegistry;
import dev.cdi.core.schedule.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional {@code schedule} and {@code timeZone} keys of an integration. */
class ScheduleConfigTest {
    @TempDir
    Path directory;

    @Test
    void withoutTheKeysThereIsNoScheduleAndTheZoneIsUtc() throws IOException {
        IntegrationConfig integration = load("").integrations().get(0);

        assertThat(integration.schedule()).isEmpty();
        assertThat(integration.zone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void readsScheduleAndZone() throws IOException {
        IntegrationConfig integration = load("    schedule: daily at 02:30\n    timeZone: America/New_York\n")
                .integrations().get(0);

        assertThat(integration.schedule()).isEqualTo(Optional.of(Schedule.parse("daily at 02:30")));
        assertThat(integration.zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(integration.scheduled().schedule()).isEqualTo(Schedule.parse("daily at 02:30"));
    }

    @Test
    void refusesBadSchedulesZonesAndStillUnknownKeys() {
        assertThatThrownBy(() -> load("    schedule: every 5 minutes\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("integrations[0] (orders).schedule: ").hasMessageContaining("every 15 minutes");
        assertThatThrownBy(() -> load("    timeZone: Mars/Olympus\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("integrations[0] (orders).timeZone: ");
        assertThatThrownBy(() -> load("    cron: '* * * * *'\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cron");
    }

    private ConfigFile load(String extra) throws IOException {
        Path file = directory.resolve("cdi.yaml");
        Files.writeString(file, "stateDir: state\n"
                + "integrations:\n"
                + "  - name: orders\n"
                + "    connector: duckdb\n"
                + "    connection:\n"
                + "      path: warehouse.duckdb\n"
                + "    table: main.orders\n"
                + "    dataType: attributes\n"
                + extra
                + "    sink:\n"
                + "      jsonl: out/orders.jsonl\n");
        return ConfigFile.load(file, ConnectorRegistry.discover());
    }
}

package dev.cdi.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.SettingDefinition;
import dev.cdi.api.SettingType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTableTest {
    private static final List<SettingDefinition> SETTINGS = List.of(
            SettingDefinition.of("host", SettingType.STRING, "the host").asRequired(),
            SettingDefinition.of("port", SettingType.INTEGER, "the port").withRange("1", "65535").withDefault("5439"),
            SettingDefinition.of("password", SettingType.STRING, "the password").asRequired().asSecret(),
            SettingDefinition.oneOf("mode", "a | b", List.of("a", "b")).withDefault("a"),
            SettingDefinition.of("wait", SettingType.DURATION, "how long").withRange("PT0S", "PT1H"),
            SettingDefinition.of("retries", SettingType.INTEGER, "at least one").withRange("1", "9")
                    .withDefault("3"),
            SettingDefinition.of("file", SettingType.PATH, "a file"));

    @Test
    void markdown() {
        assertThat(SettingsTable.markdown(SETTINGS)).isEqualTo("""
                | setting | type | default | required | secret | description |
                |---|---|---|---|---|---|
                | `host` | string |  | yes | no | the host |
                | `port` | integer, `1` to `65535` | `5439` | no | no | the port |
                | `password` | string |  | yes | yes | the password |
                | `mode` | one of `a`, `b` | `a` | no | no | a \\| b |
                | `wait` | duration, `PT0S` to `PT1H` |  | no | no | how long |
                | `retries` | integer, `1` to `9` | `3` | no | no | at least one |
                | `file` | path |  | no | no | a file |
                """);
    }

    @Test
    void plainText() {
        assertThat(SettingsTable.plainText(SETTINGS)).isEqualTo("""
                SETTING   TYPE                    DEFAULT  REQUIRED  SECRET  DESCRIPTION
                host      string                  -        yes       no      the host
                port      integer, 1 to 65535     5439     no        no      the port
                password  string                  -        yes       yes     the password
                mode      one of a, b             a        no        no      a | b
                wait      duration, PT0S to PT1H  -        no        no      how long
                retries   integer, 1 to 9         3        no        no      at least one
                file      path                    -        no        no      a file
                """);
    }
}

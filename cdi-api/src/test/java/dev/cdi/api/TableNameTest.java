package dev.cdi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TableNameTest {

    @Test
    void namesAnyWarehouseCanQuoteAreKeptAsWritten() {
        assertThat(TableName.parse("Sales DB.public.\"Orders\" 2026").table()).isEqualTo("\"Orders\" 2026");
        assertThat(TableName.parse("analytics.ventes.commandes_été").table()).isEqualTo("commandes_été");
        assertThat(TableName.parse("proj-1.data_set.tbl$x").database()).contains("proj-1");
    }

    @Test
    void charactersNoWarehouseAllowsAreRefusedBeforeAnythingConnects() {
        String[] refused = {"main.users\u0007", "main.us\u202Eers", "main.us\u200Bers", "main.us\u2028ers",
            "main.us\uD800ers", "main.us\uFFFEers", "main. users", "main.users ", "main.users\u007F"};
        for (String name : refused) {
            assertThatThrownBy(() -> TableName.parse(name)).as(name)
                    .isInstanceOfSatisfying(CdiException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                    .hasMessageContaining("table");
        }
        assertThatThrownBy(() -> new TableName(Optional.of("d\u202Eb"), "main", "users"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
    }

    @Test
    void theMessageNamesTheCharacterWithoutPrintingIt() {
        assertThatThrownBy(() -> TableName.parse("main.us\u202Eers\nFAKE LOG LINE"))
                .hasMessageContaining("U+202E").hasMessageContaining("position 2")
                .hasMessageNotContaining("\u202E").hasMessageNotContaining("\n");
    }

    @Test
    void runContextLabelsAreSafeInsideAQuotedLiteral() {
        assertThat(new RunContext("orders", "2026-12-02T05:00:00Z-1").label()).isEqualTo("cdi:orders:2026-12-02T05:00:00Z-1");
        assertThat(new RunContext("o'x", "r\"; --").label()).isEqualTo("cdi:o_x:r___--");
        assertThat(new RunContext("x".repeat(300), "r").label()).hasSize(100);
        assertThatThrownBy(() -> new RunContext(" ", "r")).isInstanceOf(IllegalArgumentException.class);
    }
}

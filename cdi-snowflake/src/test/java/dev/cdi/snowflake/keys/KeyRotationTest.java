package dev.cdi.snowflake.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyRotationTest {
    private static SnowflakeKeyPair first;
    private static SnowflakeKeyPair second;
    private static SnowflakeKeyPair third;

    @BeforeAll
    static void generate() {
        first = SnowflakeKeyPair.generate();
        second = SnowflakeKeyPair.generate();
        third = SnowflakeKeyPair.generate();
    }

    @Test
    void aFirstKeyGoesToSlotOneAndHasNothingToRetire() {
        KeyRotation rotation = KeyRotation.first("CDI_SYNC", first);

        assertThat(rotation.currentSlot()).isEqualTo(KeySlot.FIRST);
        assertThat(rotation.freeSlot()).isEqualTo(KeySlot.SECOND);
        assertThat(rotation.loginOrder()).containsExactly(first);
        assertThat(rotation.installStatement()).isEqualTo(first.alterUserStatement("CDI_SYNC", KeySlot.FIRST));
        assertThat(rotation.retireStatement()).isEmpty();
        assertThat(rotation.retire()).isSameAs(rotation);
    }

    @Test
    void rotatesThroughBothSlotsWithoutDowntime() {
        KeyRotation start = KeyRotation.first("CDI_SYNC", first);

        KeyRotation rotated = start.rotate(second);
        assertThat(rotated.current()).isEqualTo(second);
        assertThat(rotated.currentSlot()).as("the slot not holding the key in use").isEqualTo(KeySlot.SECOND);
        assertThat(rotated.previous()).contains(first);
        assertThat(rotated.loginOrder()).as("new key first, the old one while the statement has not run")
                .containsExactly(second, first);
        assertThat(rotated.installStatement())
                .isEqualTo("ALTER USER CDI_SYNC SET RSA_PUBLIC_KEY_2='" + second.publicKeyBase64() + "';");
        assertThat(rotated.retireStatement()).contains("ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY;");

        KeyRotation retired = rotated.retire();
        assertThat(retired).isEqualTo(new KeyRotation("CDI_SYNC", second, KeySlot.SECOND, Optional.empty()));
        assertThat(retired.loginOrder()).containsExactly(second);

        KeyRotation again = retired.rotate(third);
        assertThat(again.currentSlot()).isEqualTo(KeySlot.FIRST);
        assertThat(again.loginOrder()).containsExactly(third, second);
        assertThat(again.installStatement())
                .isEqualTo("ALTER USER CDI_SYNC SET RSA_PUBLIC_KEY='" + third.publicKeyBase64() + "';");
        assertThat(again.retireStatement()).contains("ALTER USER CDI_SYNC UNSET RSA_PUBLIC_KEY_2;");
    }

    @Test
    void rotatingBeforeRetiringDropsTheOldestKey() {
        KeyRotation twice = KeyRotation.first("CDI_SYNC", first).rotate(second).rotate(third);

        assertThat(twice.currentSlot()).isEqualTo(KeySlot.FIRST);
        assertThat(twice.loginOrder()).containsExactly(third, second);
    }

    @Test
    void theCurrentKeyCannotAlsoBeThePreviousOne() {
        KeyRotation rotation = KeyRotation.first("CDI_SYNC", first);

        assertThatThrownBy(() -> rotation.rotate(first))
                .isInstanceOf(CdiException.class)
                .hasFieldOrPropertyWithValue("errorCode", ErrorCode.INVALID_CONFIGURATION)
                .hasMessage("The previous Snowflake key is the current key (" + first.fingerprint() + ")");
        assertThatThrownBy(() -> new KeyRotation("CDI_SYNC", first, KeySlot.SECOND, Optional.of(first)))
                .isInstanceOf(CdiException.class);
    }

    @Test
    void userNameIsCheckedAndQuoted() {
        assertThat(KeyRotation.first("cdi@acme.com", first).rotate(second).retireStatement())
                .contains("ALTER USER \"cdi@acme.com\" UNSET RSA_PUBLIC_KEY;");
        assertThatThrownBy(() -> KeyRotation.first("", first))
                .isInstanceOf(CdiException.class)
                .hasMessage("The Snowflake user name is empty");
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        String text = KeyRotation.first("CDI_SYNC", first).rotate(second).toString();

        assertThat(text).contains(first.fingerprint(), second.fingerprint())
                .doesNotContain(first.publicKeyBase64().substring(40, 80));
    }
}

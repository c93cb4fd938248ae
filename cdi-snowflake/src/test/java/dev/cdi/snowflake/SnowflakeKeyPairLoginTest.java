package dev.cdi.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCategory;
import dev.cdi.api.ErrorCode;
import dev.cdi.api.SourceConnector;
import dev.cdi.snowflake.keys.KeySlot;
import dev.cdi.snowflake.keys.SnowflakeKeyPair;
import dev.cdi.testkit.TestingSnowflakeServer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Key-pair login and rotation through the user's two key slots, on the real driver against the fake Snowflake, which
 * verifies the JWT the driver signs against the public keys registered for the user.
 */
class SnowflakeKeyPairLoginTest {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final String PASSPHRASE = "rotation passphrase";

    private static Map<String, String> settingsFor(String user, SnowflakeKeyPair key, Optional<SnowflakeKeyPair> previous) {
        Map<String, String> settings = TestingSnowflake.settings();
        settings.put("user", user);
        settings.put("privateKey", key.encryptedPrivateKeyPem(PASSPHRASE.toCharArray()));
        settings.put("privateKeyPassphrase", PASSPHRASE);
        previous.ifPresent(old -> {
            settings.put("previousPrivateKey", old.encryptedPrivateKeyPem(PASSPHRASE.toCharArray()));
            settings.put("previousPrivateKeyPassphrase", PASSPHRASE);
        });
        return settings;
    }

    private static Instant connect(Map<String, String> settings) {
        try (SourceConnector connector = TestingSnowflake.open(settings)) {
            return connector.currentTime();
        }
    }

    @Test
    void aKeyRotatesThroughBothSlotsWithoutDowntime() {
        TestingSnowflakeServer server = TestingSnowflake.server();
        String user = "ROTATING_" + USERS.incrementAndGet();
        SnowflakeKeyPair first = SnowflakeKeyPair.generate();
        server.addUser(user, first.publicKey());
        assertThat(connect(settingsFor(user, first, Optional.empty()))).isNotNull();

        // A new key is generated for the free slot; until the admin runs its statement, the previous key is used.
        SnowflakeKeyPair second = SnowflakeKeyPair.generate();
        assertThat(second.alterUserStatement(user, KeySlot.SECOND)).startsWith("ALTER USER " + user
                + " SET RSA_PUBLIC_KEY_2='MIIB");
        assertThat(connect(settingsFor(user, second, Optional.of(first)))).as("fell back to the previous key")
                .isNotNull();

        // The admin installs it in the second slot and retires the first: only the new key can work now.
        server.setPublicKey(user, 2, Optional.of(second.publicKey()));
        server.setPublicKey(user, 1, Optional.empty());
        assertThat(connect(settingsFor(user, second, Optional.of(first)))).isNotNull();
        assertThat(connect(settingsFor(user, second, Optional.empty()))).isNotNull();

        // The next rotation goes back to the first slot.
        SnowflakeKeyPair third = SnowflakeKeyPair.generate();
        server.setPublicKey(user, 1, Optional.of(third.publicKey()));
        server.setPublicKey(user, 2, Optional.empty());
        assertThat(connect(settingsFor(user, third, Optional.of(second)))).isNotNull();
        assertThatThrownBy(() -> connect(settingsFor(user, second, Optional.empty())))
                .as("the retired key is refused").isInstanceOf(CdiException.class);
    }

    @Test
    void aKeySnowflakeRefusesIsAuthenticationWithTheStatementToRun() {
        TestingSnowflakeServer server = TestingSnowflake.server();
        String user = "REFUSED_" + USERS.incrementAndGet();
        server.addUser(user, SnowflakeKeyPair.generate().publicKey());
        SnowflakeKeyPair notInstalled = SnowflakeKeyPair.generate();

        assertThatThrownBy(() -> connect(settingsFor(user, notInstalled, Optional.empty())))
                .isInstanceOfSatisfying(CdiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                    assertThat(e.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
                    assertThat(e.errorCode().retryable()).isFalse();
                })
                .hasMessageContaining("390144")
                .hasMessageContaining("ALTER USER " + user + " SET RSA_PUBLIC_KEY")
                .hasMessageNotContaining("BEGIN");
        // Neither key works: the current key's refusal is reported, the previous one's attached.
        assertThatThrownBy(() -> connect(settingsFor(user, notInstalled, Optional.of(SnowflakeKeyPair.generate()))))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }

    @Test
    void anUnknownUserIsAuthentication() {
        assertThatThrownBy(() -> connect(settingsFor("NOBODY_" + USERS.incrementAndGet(), SnowflakeKeyPair.generate(),
                Optional.empty())))
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
    }
}

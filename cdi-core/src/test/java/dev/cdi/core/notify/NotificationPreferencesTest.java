package dev.cdi.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdi.api.CdiException;
import dev.cdi.api.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationPreferencesTest {

    @Test
    void defaults() {
        NotificationPreferences preferences = NotificationPreferences.builder()
                .addContactEmail("ops@example.com")
                .build();

        assertThat(preferences.contactEmails()).containsExactly("ops@example.com");
        assertThat(preferences.notifyRowErrors()).isFalse();
        assertThat(preferences.rowErrorThresholdPercent()).isZero();
        assertThat(preferences.notifyOnSuccess()).isFalse();
        assertThat(preferences.notifyOnSuccessWithZeroRows()).isFalse();
    }

    @Test
    void everyPropertyMapsAndSurvivesToBuilder() {
        NotificationPreferences preferences = NotificationPreferences.builder()
                .contactEmails(List.of(" Ops@Example.COM ", "data@example.org", "ops@example.com"))
                .notifyRowErrors(true)
                .rowErrorThresholdPercent(25)
                .notifyOnSuccess(true)
                .notifyOnSuccessWithZeroRows(true)
                .build();

        assertThat(preferences.contactEmails())
                .containsExactly("Ops@example.com", "data@example.org", "ops@example.com");
        assertThat(preferences.notifyRowErrors()).isTrue();
        assertThat(preferences.rowErrorThresholdPercent()).isEqualTo(25);
        assertThat(preferences.notifyOnSuccess()).isTrue();
        assertThat(preferences.notifyOnSuccessWithZeroRows()).isTrue();
        assertThat(preferences.toBuilder().build()).isEqualTo(preferences);
    }

    @Test
    void duplicateEmailsAreRemoved() {
        NotificationPreferences preferences = NotificationPreferences.builder()
                .contactEmails(List.of("ops@example.com", "ops@EXAMPLE.com"))
                .build();

        assertThat(preferences.contactEmails()).containsExactly("ops@example.com");
    }

    @Test
    void refusesNoContactEmail() {
        assertInvalid(NotificationPreferences.builder(), "contactEmails must name at least one");
    }

    @Test
    void refusesInvalidEmails() {
        for (String email : List.of("", "ops", "@example.com", "ops@", "ops@example", "a@b@example.com",
                "ops@example..com", "ops @example.com", "ops@example.com\r\nBcc: x@evil.com", "<ops@example.com>")) {
            assertInvalid(NotificationPreferences.builder().addContactEmail("ok@example.com").addContactEmail(email),
                    "contactEmails[1] is not a valid email address");
        }
        assertInvalid(NotificationPreferences.builder().addContactEmail(null), "contactEmails[0] is null");
    }

    @Test
    void refusesThresholdOutOfRange() {
        NotificationPreferences.Builder builder = NotificationPreferences.builder().addContactEmail("ops@example.com");
        assertInvalid(builder.rowErrorThresholdPercent(-1), "rowErrorThresholdPercent must be between 0 and 100");
        assertInvalid(builder.rowErrorThresholdPercent(101), "rowErrorThresholdPercent must be between 0 and 100");
        assertThat(builder.rowErrorThresholdPercent(100).build().rowErrorThresholdPercent()).isEqualTo(100);
    }

    private static void assertInvalid(NotificationPreferences.Builder builder, String message) {
        assertThatThrownBy(builder::build)
                .isInstanceOfSatisfying(CdiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(message);
    }
}

package dev.cdi.core.notify;

import static dev.cdi.core.notify.TestingRuns.completed;
import static dev.cdi.core.notify.TestingRuns.failed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ErrorCode;
import dev.cdi.api.RunResult;
import dev.cdi.api.RunStatus;
import dev.cdi.api.SyncError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationDispatcherTest {
    private static final NotificationPreferences PREFERENCES = NotificationPreferences.builder()
            .addContactEmail("ops@example.com")
            .build();

    @Test
    void sendsWhatThePolicyDecides() {
        RecordingNotifier notifier = new RecordingNotifier();
        NotificationDispatcher dispatcher = new NotificationDispatcher(new NotificationPolicy(), notifier);
        RunResult run = failed(RunStatus.ERROR, new SyncError(ErrorCode.CONNECTION_FAILED, "refused"));

        assertThat(dispatcher.dispatch("orders", run, PREFERENCES)).isTrue();

        assertThat(notifier.sent).singleElement().satisfies(notification -> {
            assertThat(notification.kind()).isEqualTo(Notification.Kind.SYNC_ERROR);
            assertThat(notification.recipients()).containsExactly("ops@example.com");
        });
    }

    @Test
    void sendsNothingWhenNothingIsDue() {
        RecordingNotifier notifier = new RecordingNotifier();
        NotificationDispatcher dispatcher = new NotificationDispatcher(new NotificationPolicy(), notifier);

        assertThat(dispatcher.dispatch("orders", completed(RunStatus.SUCCESS, 5, 5, 0, List.of()), PREFERENCES))
                .isFalse();
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void aThrowingNotifierIsLoggedAndSwallowed() {
        Notifier broken = notification -> {
            throw new IllegalStateException("mail server is down");
        };
        NotificationDispatcher dispatcher = new NotificationDispatcher(new NotificationPolicy(), broken);
        RunResult run = failed(RunStatus.ERROR, new SyncError(ErrorCode.CONNECTION_FAILED, "refused"));

        String log = capturingStandardError(() -> assertThat(dispatcher.dispatch("orders", run, PREFERENCES))
                .isFalse());

        assertThat(log).contains("[orders] could not send the SYNC_ERROR notification for run run-1 to 1 recipient(s)")
                .contains("mail server is down");
    }

    // slf4j-simple, the test binding, writes to whatever System.err is at the time of the call.
    private static String capturingStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}

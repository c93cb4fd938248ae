package dev.cdi.core.notify;

import java.util.ArrayList;
import java.util.List;

/** A notifier that keeps what it was asked to send. Not thread-safe. */
final class RecordingNotifier implements Notifier {
    final List<Notification> sent = new ArrayList<>();

    @Override
    public void send(Notification notification) {
        sent.add(notification);
    }
}

package dev.cdi.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.Watermark;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link StateStore} shares. */
public abstract class BaseStateStoreTest {

    /**
     * The store under test, empty at the start of each test.
     *
     * @return the store
     */
    protected abstract StateStore store();

    @Test
    public void unknownIntegrationHasNoState() {
        assertThat(store().load("never_synced")).isEmpty();
    }

    @Test
    public void roundTripsWatermarkAtNanosecondPrecisionAndFingerprints() {
        Set<Fingerprint> fingerprints = new HashSet<>();
        Random random = new Random(5);
        for (int i = 0; i < 1_000; i++) {
            fingerprints.add(new Fingerprint(random.nextLong(), random.nextLong()));
        }
        fingerprints.add(new Fingerprint(0, 0));
        fingerprints.add(new Fingerprint(-1, Long.MIN_VALUE));
        SyncState state = new SyncState(new Watermark(Instant.parse("2024-02-29T23:59:59.123456789Z"), 7),
                fingerprints, true);

        store().save("orders", state);

        assertThat(store().load("orders")).contains(state);
    }

    @Test
    public void roundTripsInstantsFarFromNow() {
        for (Instant instant : new Instant[] {Instant.parse("1969-12-31T23:59:59.000000001Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z")}) {
            SyncState state = new SyncState(new Watermark(instant, 0), Set.of(), true);
            store().save("edges", state);
            assertThat(store().load("edges")).contains(state);
        }
    }

    @Test
    public void keepsTheIncompleteFlagAndReplacesTheWholeState() {
        store().save("users", new SyncState(new Watermark(Instant.parse("2025-01-01T00:00:00Z"), 3),
                Set.of(new Fingerprint(1, 2), new Fingerprint(3, 4)), true));
        SyncState incomplete = new SyncState(new Watermark(Instant.parse("2025-01-02T00:00:00.5Z"), 100_001),
                Set.of(new Fingerprint(5, 6)), false);

        store().save("users", incomplete);

        assertThat(store().load("users")).contains(incomplete);
    }

    @Test
    public void deleteForgetsOnlyThatIntegration() {
        SyncState state = new SyncState(new Watermark(Instant.parse("2025-01-01T00:00:00Z"), 1), Set.of(), true);
        store().save("a", state);
        store().save("b", state);

        store().delete("a");
        store().delete("never_synced");

        assertThat(store().load("a")).isEmpty();
        assertThat(store().load("b")).contains(state);
    }
}

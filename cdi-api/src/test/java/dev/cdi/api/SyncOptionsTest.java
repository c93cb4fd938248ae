package dev.cdi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        SyncOptions defaults = SyncOptions.defaults();
        assertThat(defaults.settleLag()).isEqualTo(Duration.ZERO);
        assertThat(defaults.lookback()).isEqualTo(Duration.ZERO);
        assertThat(defaults.updateExistingOnly()).isFalse();
        assertThat(defaults.batchSize()).isEqualTo(500);
        assertThat(defaults.rowLimit()).isEqualTo(500_000_000L);
        assertThat(defaults.checkpointEvery()).isEqualTo(10_000);
        assertThat(defaults.fingerprintLimit()).isEqualTo(100_000);
        assertThat(defaults.sinkAttempts()).isEqualTo(5);
        assertThat(defaults.sinkRetryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.rowErrorsKept()).isEqualTo(1_000);
    }

    @Test
    void everyPropertyMapsThroughTheBuilderAndBack() {
        SyncOptions options = SyncOptions.builder()
                .settleLag(Duration.ofMinutes(1))
                .lookback(Duration.ofHours(2))
                .updateExistingOnly(true)
                .batchSize(50)
                .rowLimit(7)
                .checkpointEvery(3)
                .fingerprintLimit(9)
                .sinkAttempts(2)
                .sinkRetryBackoff(Duration.ofMillis(5))
                .rowErrorsKept(4)
                .build();
        assertThat(options).isEqualTo(new SyncOptions(Duration.ofMinutes(1), Duration.ofHours(2), true, 50, 7, 3, 9, 2,
                Duration.ofMillis(5), 4));
        assertThat(options.toBuilder().build()).isEqualTo(options);
    }

    @Test
    void invalidOptionsNameTheOption() {
        assertThatThrownBy(() -> SyncOptions.builder().batchSize(0).build())
                .isInstanceOf(CdiException.class).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> SyncOptions.builder().batchSize(SyncOptions.MAX_BATCH_SIZE + 1).build())
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> SyncOptions.builder().settleLag(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("settleLag");
        assertThatThrownBy(() -> SyncOptions.builder().rowLimit(0).build()).hasMessageContaining("rowLimit");
        assertThat(catchCode(() -> SyncOptions.builder().lookback(Duration.ofSeconds(-1)).build()))
                .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    }

    private static ErrorCode catchCode(Runnable action) {
        try {
            action.run();
        } catch (CdiException e) {
            return e.errorCode();
        }
        throw new AssertionError("no exception");
    }
}

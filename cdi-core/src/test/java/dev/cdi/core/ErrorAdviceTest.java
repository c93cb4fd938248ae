package dev.cdi.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdi.api.ErrorCategory;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorAdviceTest {

    @Test
    void everyCategoryHasItsOwnAdvice() {
        Set<String> distinct = new HashSet<>();
        for (ErrorCategory category : EnumSet.allOf(ErrorCategory.class)) {
            String advice = ErrorAdvice.forCategory(category);
            assertThat(advice).as("advice for %s", category).isNotBlank();
            distinct.add(advice);
        }
        assertThat(distinct).hasSize(ErrorCategory.values().length);
    }

    @Test
    void sinkAdviceSaysWhereToLookAndThatNothingIsLost() {
        assertThat(ErrorAdvice.forCategory(ErrorCategory.SINK))
                .contains("sink's own log", "broke its contract", "retrying cannot fix", "Nothing is lost");
    }
}

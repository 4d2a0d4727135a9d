package dev.meridian.server.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SampledWarningsTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final SampledWarnings<String> warnings = new SampledWarnings<>(lines::add, 1_000, now::get);

    @Test
    void aBurstOfOneKind_logsOnceAndThenSaysHowManyWereLeftOut() {
        for (int i = 0; i < 500; i++) {
            warnings.warn("bad-key", "authentication failed " + i);
        }
        assertThat(lines).containsExactly("authentication failed 0");

        now.addAndGet(1_000_000_000L);
        assertThat(warnings.warn("bad-key", "authentication failed again")).isTrue();
        assertThat(lines)
                .last()
                .isEqualTo("authentication failed again (and 499 more like it not logged since the last)");
    }

    @Test
    void eachKindHasItsOwnWindow() {
        assertThat(warnings.warn("bad-key", "a")).isTrue();
        assertThat(warnings.warn("bad-signature", "b")).isTrue();
        assertThat(warnings.warn("bad-key", "c")).isFalse();
        assertThat(lines).containsExactly("a", "b");
    }

    @Test
    void justBeforeTheIntervalEnds_isStillLeftOut() {
        warnings.warn("k", "first");
        now.addAndGet(999_999_999L);
        assertThat(warnings.warn("k", "second")).isFalse();
        now.addAndGet(1);
        assertThat(warnings.warn("k", "third")).isTrue();
        assertThat(lines).containsExactly("first", "third (and 1 more like it not logged since the last)");
    }

    @Test
    void aWarningAfterAQuietPeriod_isLoggedPlainly() {
        warnings.warn("k", "first");
        now.addAndGet(60_000_000_000L);
        warnings.warn("k", "second");
        assertThat(lines).containsExactly("first", "second");
    }

    @Test
    void aNonPositiveInterval_isRefused() {
        assertThatThrownBy(() -> new SampledWarnings<String>(lines::add, 0, now::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.meridian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedMemoTest {
    private final BoundedMemo<String> memo = new BoundedMemo<>();
    private final AtomicInteger computed = new AtomicInteger();

    private String upper(String key) {
        computed.incrementAndGet();
        return key.toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void computesEachKeyOnceWhileItIsRemembered() {
        assertThat(memo.get("a", this::upper)).isEqualTo("A");
        assertThat(memo.get("a", this::upper)).isEqualTo("A");
        assertThat(memo.get("b", this::upper)).isEqualTo("B");

        assertThat(computed).hasValue(2);
    }

    @Test
    void whenFull_forgetsAndRecomputesButNeverAnswersWrongly() {
        for (int i = 0; i < BoundedMemo.MAX_ENTRIES; i++) {
            memo.get("key" + i, this::upper);
        }
        assertThat(computed).hasValue(BoundedMemo.MAX_ENTRIES);

        assertThat(memo.get("one-more", this::upper)).isEqualTo("ONE-MORE"); // empties the memo first
        assertThat(memo.get("key0", this::upper)).isEqualTo("KEY0");
        assertThat(computed).hasValue(BoundedMemo.MAX_ENTRIES + 2);
        assertThat(memo.get("key0", this::upper)).isEqualTo("KEY0");
        assertThat(computed).hasValue(BoundedMemo.MAX_ENTRIES + 2);
    }
}

package dev.meridian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WheelDeadlinesTest {
    private final WheelDeadlines deadlines = new WheelDeadlines(10);

    @AfterEach
    void stop() {
        deadlines.close();
    }

    @Test
    void aCallThatDoesNotFinishInTimeFailsWithATimeout() {
        CompletableFuture<String> call = new CompletableFuture<>();
        long start = System.nanoTime();
        CompletableFuture<String> bounded = deadlines.within(call, TimeUnit.MILLISECONDS.toNanos(50));

        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aCallThatFinishesInTimeKeepsItsResultAndTheDeadlineNeverFires() throws Exception {
        CompletableFuture<String> call = new CompletableFuture<>();
        CompletableFuture<String> bounded = deadlines.within(call, TimeUnit.MILLISECONDS.toNanos(50));
        call.complete("answer");
        Thread.sleep(150);

        assertThat(bounded.get()).isEqualTo("answer");
        assertThat(bounded.isCompletedExceptionally()).isFalse();
    }

    @Test
    void aFailureIsPassedOnUnchanged() {
        CompletableFuture<String> call = new CompletableFuture<>();
        CompletableFuture<String> bounded = deadlines.within(call, TimeUnit.SECONDS.toNanos(5));
        call.completeExceptionally(new IllegalStateException("upstream refused"));

        assertThatThrownBy(bounded::get).hasCauseInstanceOf(IllegalStateException.class);
    }
}

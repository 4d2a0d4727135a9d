package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VllmMetricsParsingTest {
    static final String METRICS = """
            # HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.
            # TYPE vllm:gpu_cache_usage_perc gauge
            vllm:gpu_cache_usage_perc{model_name="a"} 0.42
            vllm:gpu_cache_usage_perc{model_name="b"} 0.9
            vllm:num_requests_waiting{model_name="a"} 0.0
            vllm:num_requests_waiting{model_name="b"} 3.0
            """;

    @Test
    void load_isTheCacheUsageOfTheModel() {
        assertThat(VllmMetricsPoller.load(METRICS, "a")).isEqualTo(0.42);
    }

    @Test
    void load_isFullWhileRequestsWait() {
        assertThat(VllmMetricsPoller.load(METRICS, "b")).isEqualTo(1.0);
    }

    @Test
    void load_ofAnUnknownModelOrGarbage_isNaN() {
        assertThat(VllmMetricsPoller.load(METRICS, "c")).isNaN();
        assertThat(VllmMetricsPoller.load("<html>nope</html>", "a")).isNaN();
    }
}

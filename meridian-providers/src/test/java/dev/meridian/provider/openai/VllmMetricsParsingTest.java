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

    /** Current vLLM: the gauge renamed to kv_cache_usage_perc (the old name no longer emitted), one per engine. */
    @Test
    void load_ofCurrentVllm_isTheMeanKvCacheUsageOfItsEngines() {
        String metrics = """
                # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
                # TYPE vllm:kv_cache_usage_perc gauge
                vllm:kv_cache_usage_perc{engine="0",model_name="a"} 0.2
                vllm:kv_cache_usage_perc{engine="1",model_name="a"} 0.6
                vllm:num_requests_waiting{engine="0",model_name="a"} 0.0
                vllm:num_requests_waiting{engine="1",model_name="a"} 0.0
                """;
        assertThat(VllmMetricsPoller.load(metrics, "a")).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(VllmMetricsPoller.load(
                        metrics.replace(
                                "waiting{engine=\"1\",model_name=\"a\"} 0.0",
                                "waiting{engine=\"1\",model_name=\"a\"} 2.0"),
                        "a"))
                .as("one engine queueing")
                .isEqualTo(1.0);
    }

    @Test
    void load_ofAnUnknownModelOrGarbage_isNaN() {
        assertThat(VllmMetricsPoller.load(METRICS, "c")).isNaN();
        assertThat(VllmMetricsPoller.load("<html>nope</html>", "a")).isNaN();
    }
}

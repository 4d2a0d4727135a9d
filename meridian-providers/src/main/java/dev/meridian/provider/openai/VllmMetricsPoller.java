package dev.meridian.provider.openai;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Polls a vLLM-compatible server's Prometheus {@code /metrics} and reports its load for one model: the KV-cache
 * usage ({@code vllm:kv_cache_usage_perc}; {@code vllm:gpu_cache_usage_perc} before vLLM renamed it), or 1 while
 * it queues requests ({@code vllm:num_requests_waiting > 0}). Failed or unparsable polls report nothing, so the
 * router's report goes stale and is ignored.
 */
public final class VllmMetricsPoller implements AutoCloseable {
    private static final Pattern SAMPLE =
            Pattern.compile("^(vllm:[a-z_]+)(?:\\{([^}]*)\\})?\\s+([0-9.eE+-]+|NaN)\\s*$", Pattern.MULTILINE);

    private final WebClient client;
    private final String modelName;
    private final DoubleConsumer sink;
    private final ScheduledFuture<?> task;

    /**
     * Starts polling {@code <scheme>://<host>/metrics} of the upstream's base URL every {@code interval}, in the
     * HTTP version its calls use, for the gauges of its model name.
     */
    public VllmMetricsPoller(OpenAiUpstream upstream, Duration interval, ClientFactory factory, DoubleConsumer sink) {
        this.client = WebClient.builder(upstream.clientRoot())
                .factory(factory)
                .responseTimeout(interval)
                .build();
        this.modelName = upstream.modelName();
        this.sink = sink;
        this.task = factory.eventLoopGroup()
                .next()
                .scheduleAtFixedRate(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        client.get("/metrics").aggregate().thenAccept(res -> {
            if (res.status().code() == 200) {
                double load = load(res.contentUtf8(), modelName);
                if (!Double.isNaN(load)) {
                    sink.accept(load);
                }
            }
        });
    }

    /**
     * The load of {@code model} in a metrics text, or NaN if it has no vLLM gauges for it. A server running several
     * engines (data parallel) reports each with an {@code engine} label: the load is their mean cache usage, and
     * full while any of them queues.
     */
    static double load(String metrics, String model) {
        double cacheSum = 0;
        int caches = 0;
        double waiting = 0;
        Matcher m = SAMPLE.matcher(metrics);
        while (m.find()) {
            String labels = m.group(2);
            if (labels != null && labels.contains("model_name=") && !labels.contains("model_name=\"" + model + "\"")) {
                continue;
            }
            double value = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc" -> {
                    cacheSum += value;
                    caches++;
                }
                case "vllm:num_requests_waiting" -> waiting += value;
                default -> {}
            }
        }
        if (waiting > 0) {
            return 1.0;
        }
        return caches == 0 ? Double.NaN : cacheSum / caches;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}

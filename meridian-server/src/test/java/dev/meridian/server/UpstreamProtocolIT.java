package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * An upstream's {@code protocol} from the configuration file reaches both of the gateway's conversations with the
 * model server, the calls and the metrics polls: two upstreams that both accept HTTP/2 in cleartext, one configured
 * {@code http1} and one left to the default, record the protocol of every request they receive.
 */
class UpstreamProtocolIT {
    static final Map<String, Set<SessionProtocol>> seen = new ConcurrentHashMap<>();
    static Server ireland;
    static Server paris;
    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        ireland = recordingUpstream("ireland");
        paris = recordingUpstream("paris");
        gateway = TestGateways.start("""
                routing: {maxAttempts: 6, attemptTimeout: 2s, totalTimeout: 10s}
                upstreams:
                  - {region: eu-west-1, model: "amazon.nova-2-lite-v1:0", baseUrl: "http://127.0.0.1:%d/v1",
                     modelName: nova-lite, protocol: http1}
                  - {region: eu-west-3, model: "amazon.nova-2-lite-v1:0", baseUrl: "http://127.0.0.1:%d/v1",
                     modelName: nova-lite}
                """.formatted(ireland.activeLocalPort(), paris.activeLocalPort()));
        TestGateways.onlyIrelandUp(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        ireland.stop().join();
        paris.stop().join();
    }

    /**
     * An upstream that answers a metrics page and a fixed completion (Paris: 503, so calls end in Ireland), noting
     * each request's protocol by path (one decorator for both).
     */
    private static Server recordingUpstream(String name) {
        Server server = Server.builder()
                .http(0)
                .decorator((delegate, ctx, req) -> {
                    seen.computeIfAbsent(name + " " + ctx.path(), k -> ConcurrentHashMap.newKeySet())
                            .add(ctx.sessionProtocol());
                    return delegate.serve(ctx, req);
                })
                .service(
                        "/metrics",
                        (ctx, req) -> HttpResponse.of(
                                HttpStatus.OK,
                                MediaType.PLAIN_TEXT_UTF_8,
                                "vllm:kv_cache_usage_perc{model_name=\"nova-lite\"} 0.1\n"))
                .service("/v1/chat/completions", (ctx, req) -> {
                    if (name.equals("paris")) { // so that every call ends in Ireland, whichever is tried first
                        return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE);
                    }
                    return HttpResponse.of(
                            HttpStatus.OK, MediaType.JSON, TestGateways.chatCompletion("nova-lite", "from " + name));
                })
                .build();
        server.start().join();
        return server;
    }

    @Test
    void http1Upstream_isCalledAndPolledOverHttp1_theDefaultOneOverHttp2() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            ConverseResponse r = TestGateways.converseEu(gateway, "eu-south-1", "hello " + i);
            assertThat(r.output().message().content().get(0).text()).isEqualTo("from ireland");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // polls run every 2 s
        while (!(seen.containsKey("ireland /metrics") && seen.containsKey("paris /metrics"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(seen.get("ireland /v1/chat/completions")).containsExactly(SessionProtocol.H1C);
        assertThat(seen.get("ireland /metrics")).containsExactly(SessionProtocol.H1C);
        assertThat(seen.get("paris /metrics")).as("the default, for contrast").containsExactly(SessionProtocol.H2C);
        assertThat(seen.getOrDefault("paris /v1/chat/completions", Set.of())).doesNotContain(SessionProtocol.H1C);
    }
}

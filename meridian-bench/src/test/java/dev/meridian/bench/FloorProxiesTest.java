package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.simserver.SimulatorHttpServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The floors the gateway is measured against are working proxies in their own processes: answers come from the upstream. */
@Timeout(120)
class FloorProxiesTest {
    private static final String MODEL = BenchFixture.MODEL;

    @Test
    void armeriaProxy_relaysTheUpstreamsAnswers_wholeAndStreamed() throws Exception {
        try (SimulatorHttpServer upstream = ProxyOverhead.simulatedUpstream(100, 0);
                ClientFactory factory = ClientFactory.builder().build()) {
            for (String mode : List.of("aggregate", "stream")) {
                boolean stream = mode.equals("stream");
                try (GatewayProcess proxy = GatewayProcess.startServer(
                        ArmeriaProxy.class.getName(), List.of(String.valueOf(upstream.port()), mode))) {
                    AggregatedHttpResponse viaProxy = chat(factory, proxy.port(), stream);
                    AggregatedHttpResponse direct = chat(factory, upstream.port(), stream);

                    assertThat(viaProxy.status()).isEqualTo(HttpStatus.OK);
                    assertThat(viaProxy.contentType()).isEqualTo(direct.contentType());
                    assertThat(viaProxy.contentUtf8()).contains(stream ? "data: " : "\"choices\"");
                    assertThat(proxy.cpuNanos()).isPositive();
                }
            }
        }
    }

    @Test
    void nettyProxy_relaysWholeAnswers_onKeptAliveConnections() throws Exception {
        try (SimulatorHttpServer upstream = ProxyOverhead.simulatedUpstream(100, 0);
                ClientFactory factory = ClientFactory.builder().build();
                GatewayProcess proxy = GatewayProcess.startServer(
                        NettyProxy.class.getName(), List.of(String.valueOf(upstream.port())))) {
            for (int i = 0; i < 3; i++) {
                AggregatedHttpResponse viaProxy = chat(factory, proxy.port(), false);

                assertThat(viaProxy.status()).isEqualTo(HttpStatus.OK);
                assertThat(viaProxy.contentUtf8()).contains("\"choices\"");
            }
            assertThat(chat(factory, proxy.port(), true).contentUtf8()).contains("data: ");
        }
    }

    private static AggregatedHttpResponse chat(ClientFactory factory, int port, boolean stream) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                .contentType(MediaType.JSON)
                .build();
        String body = ProxyOverhead.chatBody(MODEL, ",\"stream\":" + stream);
        return BenchFixture.client(factory, port)
                .execute(HttpRequest.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }
}

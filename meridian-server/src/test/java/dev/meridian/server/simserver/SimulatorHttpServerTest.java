package dev.meridian.server.simserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.server.TestGateways;
import dev.meridian.sim.RegionSimulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulated vLLM server behaves as vLLM does where a gateway depends on it. */
class SimulatorHttpServerTest {
    private static final String REGION = "eu-west-1";
    private static final String MODEL = "nova-lite";

    /**
     * A client that gives a whole answer up (closes its HTTP/1.1 connection or resets its HTTP/2 stream, as the
     * gateway does when its attempt times out or its own caller leaves) frees the model's sequence at once, as vLLM aborts such a request: with one
     * sequence, the next request is answered instead of refused as over capacity until the first would have ended.
     */
    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"h1c", "h2c"})
    void aWholeAnswerGivenUp_freesItsSequenceAtOnce(String protocol) throws Exception {
        RoundTripTimes rtt = RoundTripTimes.estimate(TestGateways.config("").catalog(), Map.of());
        RegionSimulator simulator = RegionSimulator.builder(rtt).timeScale(1).build();
        simulator.setCapacity(REGION, 1);
        try (SimulatorHttpServer server = SimulatorHttpServer.start(simulator, REGION, List.of(MODEL), "127.0.0.1", 0);
                ClientFactory connections = ClientFactory.builder().build()) {
            WebClient client = WebClient.builder(protocol + "://127.0.0.1:" + server.port())
                    .factory(connections)
                    .build();
            HttpResponse first = ask(client, "a long answer, please");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (simulator.inFlight(REGION, MODEL) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(simulator.inFlight(REGION, MODEL))
                    .as("the first request holds the sequence")
                    .isEqualTo(1);
            assertThat(ask(client, "and me?").aggregate().join().status().code())
                    .as("no second sequence")
                    .isEqualTo(429);

            long abort = System.nanoTime();
            first.abort();
            while (simulator.inFlight(REGION, MODEL) == 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            assertThat(simulator.inFlight(REGION, MODEL))
                    .as("the sequence freed")
                    .isZero();
            assertThat(System.nanoTime() - abort)
                    .as("freed when the connection closed or the stream was reset, not a second later")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(800));
            AggregatedHttpResponse next = ask(client, "my turn").aggregate().join();
            assertThat(next.status().code()).isEqualTo(200);
            assertThat(simulator.processedIn(REGION))
                    .as("only the answered request processed")
                    .isEqualTo(1);
        } finally {
            simulator.close();
        }
    }

    private static HttpResponse ask(WebClient client, String prompt) {
        return client.execute(
                RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                        .contentType(MediaType.JSON)
                        .build(),
                "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
    }
}

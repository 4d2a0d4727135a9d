package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.JavaProcess;
import dev.meridian.server.audit.AuditLedger;
import dev.meridian.server.audit.AuditStores;
import dev.meridian.server.audit.ChainVerifier;
import dev.meridian.server.http.Json;
import dev.meridian.server.store.StoreSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Nothing answered is lost: a gateway process under concurrent load is killed with SIGKILL, and afterwards the
 * source region's trail holds an event for every request that had received a response, in an intact chain.
 */
class CrashDurabilityIT {
    static final int CLIENTS = 16;
    /** What {@link MeridianServer#main} prints once it accepts requests. */
    private static final Pattern LISTENING = Pattern.compile("^meridian listening on (\\S+)");

    /** Both durability modes survive a gateway crash; only {@code disk} also survives an OS crash or power loss. */
    @ParameterizedTest
    @ValueSource(strings = {"disk", "os"})
    void sigkill_underLoad_everyAnsweredRequestHasAnEvent(String sync) throws Exception {
        Path data = TestGateways.freshDirectory();
        Path config = data.resolve("meridian.yaml");
        Files.writeString(config, """
                server: {port: 0, dataDirectory: "%s"}
                simulator: {timeScale: 0.01}
                audit: {sync: %s}
                """.formatted(data.resolve("store"), sync));
        Process gateway = JavaProcess.of(MeridianServer.class, config.toString())
                .redirectErrorStream(true)
                .start();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            String endpoint = JavaProcess.awaitAnnouncement(gateway, LISTENING);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch warm = new CountDownLatch(200);
            for (int i = 0; i < CLIENTS; i++) {
                clients.submit(() -> {
                    try (BedrockRuntimeClient client = client(endpoint)) {
                        while (!stop.get()) {
                            var r = client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                                    .messages(m -> m.role("user").content(c -> c.text("durable?"))));
                            answered.add(r.responseMetadata().requestId());
                            warm.countDown();
                        }
                    } catch (RuntimeException e) {
                        // the gateway was killed: this client's last request got no answer
                    }
                    return null;
                });
            }
            assertThat(warm.await(60, TimeUnit.SECONDS)).isTrue();
            gateway.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            gateway.waitFor(10, TimeUnit.SECONDS);
            stop.set(true);
        } finally {
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            gateway.destroyForcibly();
        }

        Set<String> recorded = new HashSet<>();
        try (AuditLedger ledger = AuditStores.open(StoreSettings.embedded(), data.resolve("store"), "eu-west-1")) {
            ledger.scan(e -> {
                try {
                    recorded.add(Json.MAPPER
                            .readTree(e.entry().recordJson())
                            .path("requestID")
                            .asText());
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            ChainVerifier.Report report = ChainVerifier.verify(ledger);
            assertThat(report.problems()).isEmpty();
        }
        assertThat(answered).hasSizeGreaterThanOrEqualTo(200);
        assertThat(recorded).containsAll(answered);

        // the gateway starts again on the same data: LookupEvents finds every answered request, and the chain
        // continues
        MeridianServer restarted = MeridianServer.start(
                dev.meridian.server.config.ConfigLoader.load(config).withPort(0));
        try {
            Set<String> lookedUp = new HashSet<>();
            try (var trail = TestGateways.cloudTrail(restarted, "eu-west-1")) {
                String token = null;
                do {
                    String next = token;
                    var page = trail.lookupEvents(b -> b.maxResults(50).nextToken(next));
                    for (var e : page.events()) {
                        lookedUp.add(Json.MAPPER
                                .readTree(e.cloudTrailEvent())
                                .path("requestID")
                                .asText());
                    }
                    token = page.nextToken();
                } while (token != null);
            }
            assertThat(lookedUp).containsAll(answered);
            TestGateways.converseEu(restarted, "eu-west-1", "after the crash");
            assertThat(restarted
                            .wiring()
                            .audit()
                            .read("eu-west-1", ChainVerifier::verify)
                            .join()
                            .problems())
                    .isEmpty();
        } finally {
            restarted.close();
        }
    }

    private static BedrockRuntimeClient client(String endpoint) {
        return BedrockRuntimeClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestGateways.ACCESS_KEY, TestGateways.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(10))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}

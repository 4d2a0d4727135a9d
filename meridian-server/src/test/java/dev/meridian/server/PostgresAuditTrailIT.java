package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;

/**
 * {@link AuditTrailSuite} on a real PostgreSQL server, plus what only a networked store can do: go away. While
 * it is down, invocations fail closed with {@code ServiceUnavailableException}; when it is back, they work again
 * without a restart.
 */
class PostgresAuditTrailIT extends AuditTrailSuite {
    static PostgresServer pg;
    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        pg = PostgresServer.start();
        gateway = TestGateways.start(pg.storesYaml());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        pg.close();
    }

    private static long processed() {
        return gateway.wiring()
                .metrics()
                .scrape()
                .lines()
                .filter(l -> l.startsWith("meridian_invocations_total{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Override
    MeridianServer server() {
        return gateway;
    }

    @Test
    void converse_storeUnreachable_refusedUntilItIsBack() throws Exception {
        TestGateways.converseEu(gateway, "eu-central-1", "before the outage");
        pg.stopServer();
        try {
            Thread.sleep(2_500); // the idle health check notices the outage within a second or two
            long processedBefore = processed();
            assertThatThrownBy(() -> TestGateways.converseEu(gateway, "eu-central-1", "during the outage"))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .hasMessageContaining("The audit store for eu-central-1 is unavailable");
            assertThat(processed()).as("refused before any processing").isEqualTo(processedBefore);
        } finally {
            pg.startServer();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                TestGateways.converseEu(gateway, "eu-central-1", "after the outage");
                break;
            } catch (ServiceUnavailableException e) {
                assertThat(System.nanoTime()).as("recovered within 20 s").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        var report = gateway.wiring()
                .audit()
                .read("eu-central-1", dev.meridian.server.audit.ChainVerifier::verify)
                .join();
        assertThat(report.problems()).isEmpty();
    }
}

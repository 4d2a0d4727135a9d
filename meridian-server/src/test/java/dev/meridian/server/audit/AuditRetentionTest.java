package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.server.TestGateways;
import dev.meridian.server.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Retention: old events leave the queryable trail only after they were exported as CloudTrail log files. */
class AuditRetentionTest {

    @Test
    void applyRetention_expiredEvents_exportedThenPurged() throws Exception {
        Path data = TestGateways.freshDirectory();
        Path archive = data.resolve("audit-archive");
        try (AuditTrail trail = new AuditTrail(StoreSettings.embedded(), data)) {
            Instant old = Instant.now().minus(Duration.ofDays(100));
            for (int i = 0; i < 4; i++) {
                trail.record(AuditLedgerContract.REGION, AuditLedgerContract.event("Converse", old, false))
                        .join();
            }
            for (int i = 0; i < 3; i++) {
                trail.record(AuditLedgerContract.REGION, AuditLedgerContract.event("Converse", Instant.now(), false))
                        .join();
            }
            trail.applyRetention(Duration.ofDays(90), archive, "111122223333");

            List<Path> files;
            try (Stream<Path> walk = Files.walk(archive)) {
                files = walk.filter(f -> f.toString().endsWith(".json.gz")).toList();
            }
            assertThat(files).singleElement().satisfies(f -> {
                assertThat(archive.relativize(f).toString())
                        .startsWith("AWSLogs/111122223333/CloudTrail/eu-west-1/")
                        .contains("111122223333_CloudTrail_eu-west-1_");
                assertThat(TrailExport.read(f)).hasSize(4);
            });
            ChainVerifier.Report report = trail.read(AuditLedgerContract.REGION, ChainVerifier::verify)
                    .join();
            assertThat(report.problems()).isEmpty();
            assertThat(report.events()).isEqualTo(3);
            assertThat(report.head().sequence()).isEqualTo(7);
        }
    }
}

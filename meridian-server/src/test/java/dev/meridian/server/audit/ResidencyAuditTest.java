package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.TestGateways;
import dev.meridian.server.store.StoreSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidencyAuditTest {
    private static final String REGION = "eu-west-1";
    private static final String EU_NOVA = "eu.amazon.nova-2-lite-v1:0";
    private static final Catalog CATALOG = TestGateways.config("").catalog();

    /**
     * Each invocation's regions are checked against its own rule: an EU profile's member regions, an in-region
     * call's source region alone; control-plane events are not invocations; what cannot be resolved or read is
     * reported apart, never passed.
     */
    @Test
    void check_namesEachInvocationOutsideItsRule_andEachItCannotCheck() {
        try (AuditLedger ledger = AuditStores.open(StoreSettings.embedded(), TestGateways.freshDirectory(), REGION)) {
            append(
                    ledger,
                    invocation("r1", EU_NOVA, "\"inferenceRegion\":\"eu-central-1\""),
                    invocation(
                            "r2",
                            EU_NOVA,
                            "\"inferenceRegion\":\"eu-west-3\","
                                    + "\"attemptedRegions\":[\"eu-north-1\",\"us-east-1\",\"eu-west-3\"]"),
                    invocation("r3", "amazon.nova-2-lite-v1:0", "\"inferenceRegion\":\"eu-west-3\""),
                    invocation("r4", EU_NOVA, "\"attemptedRegions\":[\"eu-north-1\",\"eu-south-2\"]"),
                    "{\"eventName\":\"ListInferenceProfiles\",\"awsRegion\":\"eu-west-1\",\"requestID\":\"r5\"}",
                    invocation("r6", "eu.no-such-model-v1:0", "\"inferenceRegion\":\"eu-west-1\""),
                    "not json");

            ResidencyAudit.Report report = ResidencyAudit.check(ledger, CATALOG, "111122223333");

            assertThat(report.invocations()).isEqualTo(5);
            assertThat(report.violationCount()).isEqualTo(2);
            assertThat(report.violations())
                    .containsExactly(
                            "event 2 (Converse, request r2): " + EU_NOVA + " from eu-west-1 went to [us-east-1],"
                                    + " outside the allowed [eu-central-1, eu-north-1, eu-south-1, eu-south-2,"
                                    + " eu-west-1, eu-west-3]",
                            "event 3 (Converse, request r3): amazon.nova-2-lite-v1:0 from eu-west-1 went to"
                                    + " [eu-west-3], outside the allowed [eu-west-1]");
            assertThat(report.unverifiableCount()).isEqualTo(2);
            assertThat(report.unverifiable())
                    .containsExactly(
                            "event 6 (Converse, request r6): model id eu.no-such-model-v1:0 from eu-west-1 is not in"
                                    + " the catalog",
                            "event 7: its record is not JSON");
            assertThat(report.clean()).isFalse();
        }
    }

    @Test
    void check_aTrailWithinItsRules_isClean() {
        try (AuditLedger ledger = AuditStores.open(StoreSettings.embedded(), TestGateways.freshDirectory(), REGION)) {
            append(ledger, invocation("r1", EU_NOVA, "\"inferenceRegion\":\"eu-south-1\""));
            ResidencyAudit.Report report = ResidencyAudit.check(ledger, CATALOG, "111122223333");
            assertThat(report.clean()).isTrue();
            assertThat(report.invocations()).isEqualTo(1);
        }
    }

    private static String invocation(String requestId, String modelId, String additional) {
        return "{\"eventName\":\"Converse\",\"awsRegion\":\"eu-west-1\",\"requestID\":\"" + requestId
                + "\",\"requestParameters\":{\"modelId\":\"" + modelId + "\"},\"additionalEventData\":{" + additional
                + "}}";
    }

    /** Appends {@code records} as a chained trail from genesis. */
    private static void append(AuditLedger ledger, String... records) {
        List<ChainedEntry> entries = new ArrayList<>();
        String prev = HashChain.GENESIS;
        for (int i = 0; i < records.length; i++) {
            AuditEntry entry = new AuditEntry(
                    Instant.now(),
                    "event-" + i,
                    "Converse",
                    "bedrock.amazonaws.com",
                    null,
                    null,
                    false,
                    null,
                    null,
                    records[i]);
            String hash = HashChain.link(prev, i + 1, records[i]);
            entries.add(new ChainedEntry(i + 1, entry, prev, hash));
            prev = hash;
        }
        ledger.append(entries);
    }
}

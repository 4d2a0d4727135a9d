package dev.meridian.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.ModelIdResolver;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.AllowedDestinations;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Checks a source region's trail against the destination rules, after the fact: for every invocation it records,
 * the regions it was processed in ({@code inferenceRegion}) and sent to ({@code attemptedRegions}) must be ones
 * {@link DestinationRules} allows for its model id and source region. The chain proves the trail was not edited;
 * this proves what it records was allowed. Checked against the catalog it is given (the configuration's, with the
 * stored application profiles): an event whose model id that catalog no longer knows (a deleted application
 * profile) is reported as unverifiable, not passed.
 */
public final class ResidencyAudit {
    private static final int MAX_LISTED = 20;

    private ResidencyAudit() {}

    /**
     * The outcome of a check.
     *
     * @param invocations how many events recorded where an invocation went (others, such as control-plane calls,
     *     are not checked)
     * @param violations invocations processed in or sent to a region outside their allowed set, first ones first
     *     (at most {@value #MAX_LISTED} listed)
     * @param violationCount how many there were in all
     * @param unverifiable invocations whose model id the catalog cannot resolve, first ones first (at most
     *     {@value #MAX_LISTED})
     * @param unverifiableCount how many there were in all
     */
    public record Report(
            long invocations,
            List<String> violations,
            long violationCount,
            List<String> unverifiable,
            long unverifiableCount) {
        /** Whether every invocation was checked and stayed within its allowed regions. */
        public boolean clean() {
            return violationCount == 0 && unverifiableCount == 0;
        }
    }

    /** Checks every retained event of {@code ledger} against {@code catalog} (ARNs owned by {@code accountId}). */
    public static Report check(AuditLedger ledger, Catalog catalog, String accountId) {
        ModelIdResolver resolver = ModelIdResolver.of(catalog, accountId);
        List<String> violations = new ArrayList<>();
        List<String> unverifiable = new ArrayList<>();
        long[] counts = new long[3]; // invocations, violations, unverifiable
        ledger.scan(e -> {
            JsonNode record = read(e.entry().recordJson());
            if (record == null) {
                counts[2]++;
                list(unverifiable, "event " + e.sequence() + ": its record is not JSON");
                return;
            }
            Set<String> went = regionsOf(record.path("additionalEventData"));
            if (went.isEmpty()) {
                return;
            }
            counts[0]++;
            String source = record.path("awsRegion").asText();
            String modelId = record.path("requestParameters").path("modelId").asText(null);
            String which =
                    "event " + e.sequence() + " (" + record.path("eventName").asText() + ", request "
                            + record.path("requestID").asText() + ")";
            AllowedDestinations allowed;
            try {
                InvocationTarget target = resolver.resolve(modelId, source);
                allowed = DestinationRules.destinations(catalog, target, source);
            } catch (GatewayException | IllegalArgumentException | NoSuchElementException unknown) {
                // not resolvable now: a deleted application profile, or one copying a profile no longer configured
                counts[2]++;
                list(unverifiable, which + ": model id " + modelId + " from " + source + " is not in the catalog");
                return;
            }
            List<String> outside =
                    went.stream().filter(r -> !allowed.contains(r)).toList();
            if (!outside.isEmpty()) {
                counts[1]++;
                list(
                        violations,
                        which + ": " + modelId + " from " + source + " went to " + outside + ", outside the allowed "
                                + allowed.regions());
            }
        });
        return new Report(counts[0], List.copyOf(violations), counts[1], List.copyOf(unverifiable), counts[2]);
    }

    /** The regions an event says its invocation was processed in or sent to; empty for any other event. */
    private static Set<String> regionsOf(JsonNode additional) {
        Set<String> regions = new LinkedHashSet<>();
        if (additional.hasNonNull("inferenceRegion")) {
            regions.add(additional.get("inferenceRegion").asText());
        }
        additional.path("attemptedRegions").forEach(r -> regions.add(r.asText()));
        return regions;
    }

    /** The record, or null when it is not JSON (an edited trail; {@link ChainVerifier} says so too). */
    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static void list(List<String> listed, String line) {
        if (listed.size() < MAX_LISTED) {
            listed.add(line);
        }
    }
}

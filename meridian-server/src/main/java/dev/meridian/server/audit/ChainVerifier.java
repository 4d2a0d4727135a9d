package dev.meridian.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a region's trail end to end: sequence numbers without gaps from the retention checkpoint, every hash
 * recomputed from its record and its predecessor, and the lookup columns equal to the record they index. Any
 * edited, deleted, inserted or reordered event is reported with its sequence number.
 */
public final class ChainVerifier {
    private static final int MAX_PROBLEMS = 20;

    private ChainVerifier() {}

    /**
     * The outcome of a verification.
     *
     * @param events how many events were checked
     * @param head the last event's sequence and hash (record it to detect later truncation)
     * @param problems what is wrong, first problems first; empty when the trail is intact
     */
    public record Report(long events, AuditLedger.Head head, List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /** Verifies {@code ledger}'s whole retained trail. */
    public static Report verify(AuditLedger ledger) {
        AuditLedger.Head start = ledger.checkpoint();
        List<String> problems = new ArrayList<>();
        long[] count = {0};
        AuditLedger.Head[] last = {start};
        ledger.scan(e -> {
            count[0]++;
            AuditLedger.Head prev = last[0];
            long expected = prev.sequence() + 1;
            if (e.sequence() != expected) {
                problem(
                        problems,
                        "event " + e.sequence() + ": expected sequence " + expected
                                + (e.sequence() > expected ? " (events deleted before it)" : " (out of order)"));
            }
            if (!e.prevHash().equals(prev.hash())) {
                problem(
                        problems,
                        "event " + e.sequence() + ": does not link to the previous event"
                                + " (an event before it was edited, deleted or reordered)");
            }
            if (!HashChain.link(e.prevHash(), e.sequence(), e.entry().recordJson())
                    .equals(e.hash())) {
                problem(problems, "event " + e.sequence() + ": its record was edited (hash mismatch)");
            }
            String mismatch = indexMismatch(e.entry());
            if (mismatch != null) {
                problem(problems, "event " + e.sequence() + ": " + mismatch);
            }
            last[0] = new AuditLedger.Head(e.sequence(), e.hash());
        });
        return new Report(count[0], last[0], List.copyOf(problems));
    }

    private static void problem(List<String> problems, String p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    /** The stored lookup fields must be the record's own, or LookupEvents could be misled without a hash change. */
    private static String indexMismatch(AuditEntry a) {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(a.recordJson());
        } catch (IOException e) {
            return "its record is not valid JSON";
        }
        boolean same = a.eventId().equals(r.path("eventID").asText())
                && a.eventName().equals(r.path("eventName").asText())
                && a.eventSource().equals(r.path("eventSource").asText())
                && a.readOnly() == r.path("readOnly").asBoolean()
                && Objects.equals(
                        a.username(), r.path("userIdentity").path("userName").asText(null))
                && Objects.equals(
                        a.accessKeyId(),
                        r.path("userIdentity").path("accessKeyId").asText(null))
                && a.eventTime().equals(Instant.parse(r.path("eventTime").asText("1970-01-01T00:00:00Z")));
        return same ? null : "its lookup fields differ from its record (edited outside the chain)";
    }
}

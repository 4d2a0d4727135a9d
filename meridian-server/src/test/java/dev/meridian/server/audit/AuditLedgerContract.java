package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.server.auth.Caller;
import dev.meridian.server.http.Json;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every audit store must have, run against the embedded store and against PostgreSQL: group
 * commit keeps every event, lookups filter and page, retention keeps the chain verifiable, and any tampering
 * done directly in the database is detected.
 */
abstract class AuditLedgerContract {
    static final String REGION = "eu-west-1";

    AuditWriter writer;

    /** A fresh, empty ledger for {@link #REGION}. */
    abstract AuditLedger openLedger();

    /** Runs {@code sql} directly against the ledger's database, as an attacker with database access would. */
    abstract void tamper(String sql) throws SQLException;

    @BeforeEach
    void open() {
        writer = new AuditWriter(REGION, openLedger());
    }

    @AfterEach
    void close() {
        writer.close();
    }

    static AuditEntry event(String name, Instant time, boolean readOnly) {
        AuditedOperation op = new AuditedOperation(
                name, AuditedOperation.BEDROCK, readOnly, true, "AWS::Bedrock::Model", "eu.amazon.nova-2-lite-v1:0");
        return CloudTrailRecord.entry(new CloudTrailRecord.Facts(
                op,
                new Caller("alice", REGION, "AKIAALICE"),
                "111122223333",
                time,
                java.util.UUID.randomUUID().toString(),
                "127.0.0.1",
                "test",
                Json.object().put("modelId", "eu.amazon.nova-2-lite-v1:0"),
                null,
                "eu-west-3",
                null,
                null,
                null));
    }

    List<ChainedEntry> appendConcurrently(int n, Instant time) {
        List<CompletableFuture<ChainedEntry>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(writer.append(event(i % 2 == 0 ? "Converse" : "InvokeModel", time, false)));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    ChainVerifier.Report verify() {
        return writer.read(ChainVerifier::verify).join();
    }

    @Test
    void close_commitsWhatIsQueued_andRefusesWhatComesAfter() {
        CompletableFuture<ChainedEntry> before = writer.append(event("Converse", Instant.now(), false));
        writer.close();
        assertThat(before).isCompleted();
        assertThat(before.join().sequence()).isEqualTo(1);
        CompletableFuture<ChainedEntry> after = writer.append(event("Converse", Instant.now(), false));
        assertThat(after)
                .failsWithin(java.time.Duration.ofSeconds(1))
                .withThrowableThat()
                .havingRootCause()
                .isInstanceOf(IllegalStateException.class)
                .withMessageContaining("is closed");
        assertThat(writer.read(ChainVerifier::verify)).failsWithin(java.time.Duration.ofSeconds(1));
    }

    @Test
    void append_concurrent_allStoredInOneUnbrokenChain() {
        List<ChainedEntry> stored = appendConcurrently(500, Instant.now());
        assertThat(stored).extracting(ChainedEntry::sequence).doesNotHaveDuplicates();
        ChainVerifier.Report report = verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.events()).isEqualTo(500);
        assertThat(report.head().sequence()).isEqualTo(500);
    }

    @Test
    void lookup_attributeAndTime_filtersAndPagesNewestFirst() {
        Instant now = Instant.now();
        appendConcurrently(10, now.minusSeconds(3600));
        appendConcurrently(10, now);
        LookupQuery converse = new LookupQuery(
                new LookupQuery.Attribute(LookupQuery.Key.EventName, "Converse"),
                now.minusSeconds(60),
                now.plusSeconds(60),
                Long.MAX_VALUE,
                3);
        List<ChainedEntry> page1 = writer.read(l -> l.lookup(converse)).join();
        assertThat(page1).hasSize(3).allMatch(e -> e.entry().eventName().equals("Converse"));
        assertThat(page1.get(0).sequence()).isGreaterThan(page1.get(1).sequence());
        List<ChainedEntry> rest = writer.read(l -> l.lookup(new LookupQuery(
                        converse.attribute(),
                        converse.start(),
                        converse.end(),
                        page1.get(2).sequence(),
                        50)))
                .join();
        assertThat(rest).hasSize(2);
        LookupQuery writes = new LookupQuery(
                new LookupQuery.Attribute(LookupQuery.Key.ReadOnly, "false"),
                now.minusSeconds(7200),
                now.plusSeconds(60),
                Long.MAX_VALUE,
                50);
        assertThat(writer.read(l -> l.lookup(writes)).join()).hasSize(20);
        LookupQuery byKey = new LookupQuery(
                new LookupQuery.Attribute(LookupQuery.Key.AccessKeyId, "AKIAALICE"),
                now.minusSeconds(7200),
                now.plusSeconds(60),
                Long.MAX_VALUE,
                50);
        assertThat(writer.read(l -> l.lookup(byKey)).join()).hasSize(20);
    }

    @Test
    void purgeBefore_oldEvents_restStillVerifies() {
        Instant now = Instant.now();
        appendConcurrently(5, now.minusSeconds(100 * 86400));
        appendConcurrently(5, now);
        int removed =
                writer.read(l -> l.purgeBefore(now.minusSeconds(90 * 86400))).join();
        assertThat(removed).isEqualTo(5);
        ChainVerifier.Report report = verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.events()).isEqualTo(5);
        appendConcurrently(3, now);
        assertThat(verify().problems()).isEmpty();
        assertThat(verify().head().sequence()).isEqualTo(13);
    }

    @Test
    void verify_editedRecord_isReported() throws SQLException {
        appendConcurrently(10, Instant.now());
        tamper("UPDATE audit_event SET record_json = REPLACE(record_json, 'eu-west-3', 'us-east-1')"
                + " WHERE sequence = 4");
        assertThat(verify().problems()).anyMatch(p -> p.startsWith("event 4: its record was edited"));
    }

    @Test
    void verify_deletedEvent_isReported() throws SQLException {
        appendConcurrently(10, Instant.now());
        tamper("DELETE FROM audit_event WHERE sequence = 6");
        assertThat(verify().problems()).anyMatch(p -> p.startsWith("event 7: expected sequence 6"));
    }

    @Test
    void verify_reorderedEvents_areReported() throws SQLException {
        appendConcurrently(10, Instant.now());
        tamper("UPDATE audit_event SET sequence = 100 WHERE sequence = 3");
        tamper("UPDATE audit_event SET sequence = 3 WHERE sequence = 4");
        tamper("UPDATE audit_event SET sequence = 4 WHERE sequence = 100");
        assertThat(verify().problems())
                .anyMatch(p -> p.startsWith("event 3: does not link") || p.startsWith("event 3: its record"));
    }

    @Test
    void verify_editedAndRehashedEvent_reportedByTheNextLink() throws SQLException {
        appendConcurrently(10, Instant.now());
        ChainedEntry e5 = writer.read(l -> {
                    List<ChainedEntry> all = new ArrayList<>();
                    l.scan(all::add);
                    return all.get(4);
                })
                .join();
        String forged = e5.entry().recordJson().replace("eu-west-3", "us-east-1");
        String rehash = HashChain.link(e5.prevHash(), 5, forged);
        tamper("UPDATE audit_event SET record_json = '" + forged.replace("'", "''") + "', hash = '" + rehash
                + "' WHERE sequence = 5");
        assertThat(verify().problems()).anyMatch(p -> p.startsWith("event 6: does not link"));
    }

    @Test
    void verify_editedLookupColumn_isReported() throws SQLException {
        appendConcurrently(4, Instant.now());
        tamper("UPDATE audit_event SET username = 'mallory' WHERE sequence = 2");
        assertThat(verify().problems()).anyMatch(p -> p.startsWith("event 2: its lookup fields differ"));
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}

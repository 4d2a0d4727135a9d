package dev.meridian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.meridian.server.TestGateways;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * While a store is down every refused request's own event fails as well: the writer logs the outage's first failure
 * and its end, not a line per request (the failures metric still counts each).
 */
class AuditWriterOutageTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditWriter.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void failingCommits_loggedOnceAndTheRecoveryWithTheirCount() {
        JournaledLedgerTest.StoppableLedger ledger = new JournaledLedgerTest.StoppableLedger(
                AuditStores.sqlite(TestGateways.freshDirectory(), "eu-west-1", false));
        AuditWriter writer = new AuditWriter("eu-west-1", ledger);
        try {
            ledger.failAppends = true;
            for (int i = 0; i < 5; i++) {
                assertThat(catchThrowable(() -> writer.append(event()).join())).isNotNull();
            }
            ledger.failAppends = false;
            writer.append(event()).join();

            assertThat(writer.failures()).isEqualTo(5);
            assertThat(lines.list)
                    .filteredOn(e -> e.getLevel() == Level.ERROR)
                    .singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage())
                            .contains("audit store for eu-west-1 failed; refusing invocations"));
            assertThat(lines.list)
                    .filteredOn(e -> e.getLevel() == Level.INFO)
                    .singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage())
                            .isEqualTo("audit store for eu-west-1 recovered (4 more failed commits not logged)"));
        } finally {
            writer.close();
        }
    }

    private static AuditEntry event() {
        return AuditLedgerContract.event("Converse", Instant.now(), false);
    }
}

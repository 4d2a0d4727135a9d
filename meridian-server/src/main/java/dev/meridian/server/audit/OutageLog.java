package dev.meridian.server.audit;

import org.slf4j.Logger;

/**
 * Logs a store outage as two lines, its first failure and its end with the count of failures in between: while a
 * store is down every refused request's own event fails too, which would otherwise be a line per request (the
 * failures metric counts them all). Not thread-safe: used under the audit writer's lock.
 */
final class OutageLog {
    private final Logger log;
    private final String region;
    /** Whether an outage was logged and not yet its end. */
    private boolean inOutage;
    /** Failures during the outage after the one logged. */
    private long unlogged;

    OutageLog(Logger log, String region) {
        this.log = log;
        this.region = region;
    }

    /** A failure: logged at ERROR if it starts an outage, counted otherwise. */
    void failed(String message) {
        if (inOutage) {
            unlogged++;
            return;
        }
        log.error(message);
        inOutage = true;
    }

    /** A success: ends the outage, if one was logged, with the count of the failures not logged. */
    void succeeded() {
        if (inOutage) {
            log.info("audit store for {} recovered ({} more failed commits not logged)", region, unlogged);
            inOutage = false;
            unlogged = 0;
        }
    }
}

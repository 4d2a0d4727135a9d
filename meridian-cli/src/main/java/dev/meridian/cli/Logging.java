package dev.meridian.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Ends the CLI's logging after the command's own clean-up, so nothing logged while the gateway shuts down (an
 * audit trail draining, an invocation log that cannot be delivered) is lost. Logback's own shutdown hook would
 * run concurrently with the command's and could stop the asynchronous appender before those lines were queued.
 */
final class Logging {
    private Logging() {}

    /** Writes every queued line and stops the logging context; later lines go nowhere. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}

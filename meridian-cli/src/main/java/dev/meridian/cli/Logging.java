package dev.meridian.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes and ends the CLI's logging. Ends it after the command's own clean-up, so nothing logged while the gateway shuts down (an
 * audit trail draining, an invocation log that cannot be delivered) is lost. Logback's own shutdown hook would
 * run concurrently with the command's and could stop the asynchronous appender before those lines were queued.
 */
final class Logging {
    private Logging() {}

    /**
     * Sends what libraries log through {@code java.util.logging} (the OpenTelemetry SDK does) to the same log as
     * everything else, with the same levels, instead of JUL's own two-line format on stderr.
     */
    static void routeJavaUtilLogging() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    /** Writes every queued line and stops the logging context; later lines go nowhere. */
    static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}

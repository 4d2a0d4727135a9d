package dev.meridian.server.audit;

import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.function.Consumer;

/**
 * Told when a call's audit event goes to the trail and when it is durable or failed: the wait that holds the call's
 * answer back. Tracing shows it as a span of its own ({@link dev.meridian.server.observe.RequestSpans#auditWait});
 * the audit package itself knows no tracing library.
 */
@FunctionalInterface
public interface AuditWaits {
    /** Told nothing. */
    AuditWaits NONE = (ctx, sourceRegion) -> null;

    /**
     * The event of {@code ctx}'s call is on its way to {@code sourceRegion}'s trail.
     *
     * @return what to call with the outcome ({@code null} once the event is durable, else the failure), or
     *     {@code null} for nothing to call
     */
    Consumer<Throwable> started(ServiceRequestContext ctx, String sourceRegion);
}

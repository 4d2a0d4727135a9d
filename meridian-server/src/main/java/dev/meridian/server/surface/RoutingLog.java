package dev.meridian.server.surface;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.route.RoutingDecision;
import dev.meridian.server.audit.AuditContext;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.gateway.StreamInvocation;
import dev.meridian.server.gateway.WholeInvocation;
import dev.meridian.server.http.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One operator log line per routed invocation, the same on every surface: who called, from which source region,
 * which regions were allowed, how many attempts and where it was processed. It is for operators reading logs; the
 * audit trail, not this line, is the record of where requests were processed. At INFO, and off in the shipped
 * logging configuration unless {@code MERIDIAN_ROUTING_LOG=INFO}: a line per request cost about 8 % of the CPU per
 * request under load, for facts the audit trail already stores.
 */
public final class RoutingLog {
    private static final Logger log = LoggerFactory.getLogger(RoutingLog.class);

    private RoutingLog() {}

    /**
     * Records the routing of {@code inv}, answered whole, as {@link #record} does; whether it was answered (if not,
     * its {@code routed().error()} is the caller's answer, in the surface's format).
     */
    public static boolean answered(ServiceRequestContext ctx, Caller caller, WholeInvocation<?> inv) {
        record(ctx, caller, inv.target().requestedId(), inv.routed().decision(), inv.latencyMs());
        return inv.routed().succeeded();
    }

    /** As {@link #answered}, for a stream: recorded once its first event came (or every attempt failed). */
    public static boolean started(ServiceRequestContext ctx, Caller caller, StreamInvocation inv) {
        record(ctx, caller, inv.target().requestedId(), inv.routed().decision(), inv.elapsedMillis());
        return inv.routed().succeeded();
    }

    /**
     * Logs the routing of one invocation once its destination is known (or every attempt failed), and gives the
     * request's audit event the regions it was tried in ({@link AuditContext#routed}), which the trail keeps whether
     * or not this line is logged.
     */
    public static void record(
            ServiceRequestContext ctx, Caller caller, String requestedId, RoutingDecision decision, long latencyMs) {
        AuditContext.routed(ctx, decision);
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info(
                "requestId={} principal={} source={} model={} allowed={} attempts={} region={} latencyMs={}",
                RequestIds.of(ctx),
                caller.principal(),
                caller.sourceRegion(),
                requestedId,
                decision.allowed().regions(),
                decision.attempts().size(),
                decision.chosenRegion(),
                latencyMs);
    }
}

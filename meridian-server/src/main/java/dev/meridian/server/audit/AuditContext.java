package dev.meridian.server.audit;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.route.AttemptRecord;
import dev.meridian.core.route.RoutingDecision;
import io.netty.util.AttributeKey;
import java.util.List;

/** Facts a surface learns while serving a request that its audit event should carry. */
public final class AuditContext {
    static final AttributeKey<String> MODEL_ID = AttributeKey.valueOf(AuditContext.class, "MODEL_ID");
    static final AttributeKey<List<String>> ATTEMPTED_REGIONS =
            AttributeKey.valueOf(AuditContext.class, "ATTEMPTED_REGIONS");

    private AuditContext() {}

    /** The model or profile id the caller asked for, when it is not in the path (e.g. OpenAI's {@code model}). */
    public static void requestedModel(ServiceRequestContext ctx, String modelId) {
        ctx.setAttr(MODEL_ID, modelId);
    }

    /**
     * Where the request went: when it was sent to a destination that did not answer it (it failed over, or failed),
     * every destination region it was sent to, in order, is recorded ({@code additionalEventData.attemptedRegions}),
     * since the prompt may have been processed there too; a region that was passed by, or refused the connection, is
     * left out, since nothing was sent there (a request that reached no region records an empty list). A request
     * answered by the only destination it was sent to records its {@code inferenceRegion} only.
     */
    public static void routed(ServiceRequestContext ctx, RoutingDecision decision) {
        List<AttemptRecord> attempts = decision.attempts();
        if (attempts.isEmpty() || (attempts.size() == 1 && attempts.get(0).succeeded())) {
            return; // nothing tried, or answered where first sent (nearly every request): its inferenceRegion says it
        }
        List<String> sentTo = attempts.stream()
                .filter(AttemptRecord::reached)
                .map(AttemptRecord::region)
                .distinct()
                .toList();
        boolean answered = attempts.get(attempts.size() - 1).succeeded();
        if (answered && sentTo.size() == 1) {
            return;
        }
        ctx.setAttr(ATTEMPTED_REGIONS, sentTo);
    }
}

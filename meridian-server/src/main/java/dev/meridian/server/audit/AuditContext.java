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
     * Where the request went: when it reached a destination that did not answer it (it failed over, or failed),
     * every destination region the gateway tried, in order, is recorded ({@code additionalEventData
     * .attemptedRegions}), since the prompt may have been processed there too; a request answered by the first
     * destination tried records its {@code inferenceRegion} only.
     */
    public static void routed(ServiceRequestContext ctx, RoutingDecision decision) {
        List<AttemptRecord> attempts = decision.attempts();
        if (attempts.isEmpty() || (attempts.size() == 1 && attempts.get(0).succeeded())) {
            return;
        }
        ctx.setAttr(
                ATTEMPTED_REGIONS,
                attempts.stream().map(AttemptRecord::region).distinct().toList());
    }
}

package dev.meridian.server.audit;

import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;

/** Facts a surface learns while serving a request that its audit event should carry. */
public final class AuditContext {
    static final AttributeKey<String> MODEL_ID = AttributeKey.valueOf(AuditContext.class, "MODEL_ID");

    private AuditContext() {}

    /** The model or profile id the caller asked for, when it is not in the path (e.g. OpenAI's {@code model}). */
    public static void requestedModel(ServiceRequestContext ctx, String modelId) {
        ctx.setAttr(MODEL_ID, modelId);
    }
}

package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;

/**
 * Gives every request an id and returns it as {@code x-amzn-RequestId} on every response, errors included, as
 * AWS services do; logs, audit events and invocation logs use the same id.
 */
public final class RequestIds implements DecoratingHttpServiceFunction {
    public static final String HEADER = "x-amzn-RequestId";
    private static final AttributeKey<String> ID = AttributeKey.valueOf(RequestIds.class, "requestId");

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        of(ctx);
        return delegate.serve(ctx, req);
    }

    /** The id of the request being served by {@code ctx}, assigned (and set as a response header) on first use. */
    public static String of(ServiceRequestContext ctx) {
        String id = ctx.attr(ID);
        if (id == null) {
            id = Ids.next().toString();
            ctx.setAttr(ID, id);
            ctx.addAdditionalResponseHeader(HEADER, id);
        }
        return id;
    }
}

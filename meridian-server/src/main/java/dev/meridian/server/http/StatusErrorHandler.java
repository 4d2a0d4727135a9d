package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceErrorHandler;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * An API surface's handler of the errors the HTTP server raises itself (a body too large, a body not received in
 * time): each is rendered by the status it stands for, in the surface's own error shape ({@link #renderStatus});
 * any other exception falls through to the server-wide handler, which logs it with the request id.
 */
public interface StatusErrorHandler extends ServiceErrorHandler {
    @Override
    default HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        HttpStatus status = FrameworkErrors.statusOf(cause);
        return status == null
                ? null
                : renderStatus(ctx, ctx.request().headers(), status, null, null).toHttpResponse();
    }
}

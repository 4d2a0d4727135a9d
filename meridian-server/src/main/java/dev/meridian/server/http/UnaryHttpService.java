package dev.meridian.server.http;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;

/**
 * A service that reads every request whole and answers it whole. Saying so lets Armeria buffer the request before
 * calling the service and write the answer's headers and body in one go, instead of running both through its
 * reactive stream machinery as it must for a service that might stream (its default): in a profile the request
 * stream's publish-and-close path was the largest single subtree on the event loops. A service that streams some
 * answers (Bedrock's {@code *-stream} operations, OpenAI's {@code stream: true}) overrides
 * {@link #exchangeType(RoutingContext)} for those routes.
 */
public interface UnaryHttpService extends HttpService {
    @Override
    default ExchangeType exchangeType(RoutingContext routingContext) {
        return ExchangeType.UNARY;
    }
}

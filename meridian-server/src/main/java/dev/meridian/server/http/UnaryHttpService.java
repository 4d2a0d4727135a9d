package dev.meridian.server.http;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;

/**
 * A service that reads every request whole and answers it whole. Saying so lets Armeria buffer the request before
 * calling the service and write a whole answer's headers and body together, instead of running both through the
 * reactive streams it must use for a service that might stream (its default). A service that streams some answers
 * (Bedrock's {@code *-stream} operations, OpenAI's {@code stream: true}) overrides
 * {@link #exchangeType(RoutingContext)} for those routes. (On the proxy benchmark the difference is within the
 * noise, see {@code docs/benchmarks.md}; the declaration is kept because it states each route's real contract.)
 */
public interface UnaryHttpService extends HttpService {
    @Override
    default ExchangeType exchangeType(RoutingContext routingContext) {
        return ExchangeType.UNARY;
    }
}

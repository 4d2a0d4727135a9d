package dev.meridian.server.auth;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the caller and the source region of a request.
 *
 * <p>AWS SDKs sign with the region they are configured for, even with an endpoint override, so the SigV4
 * credential scope ({@code Credential=AKID/20260101/eu-south-1/bedrock/aws4_request}) tells which regional
 * endpoint the caller meant to address: that is the source region. Requests without a SigV4 header use the
 * gateway's home region. The signature itself is not verified here.
 */
public final class CallerResolver {
    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/(\\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request");

    private final String homeRegion;

    public CallerResolver(String homeRegion) {
        this.homeRegion = homeRegion;
    }

    /**
     * Resolves the caller of a request against {@code catalog}.
     *
     * @throws GatewayException ACCESS_DENIED for a malformed SigV4 header, VALIDATION for an unknown region
     */
    public Caller resolve(RequestHeaders headers, Catalog catalog) {
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return new Caller("anonymous", homeRegion);
        }
        Matcher m = CREDENTIAL.matcher(authorization);
        if (!m.find()) {
            throw new GatewayException(
                    ErrorKind.ACCESS_DENIED,
                    "Authorization header is malformed: the SigV4 credential scope is missing.");
        }
        String region = m.group(3);
        if (catalog.region(region).isEmpty()) {
            throw GatewayException.validation("The credential scope names region '" + region
                    + "', which this gateway does not serve. Known regions: " + catalog.regionIds() + ".");
        }
        return new Caller(m.group(1), region);
    }
}

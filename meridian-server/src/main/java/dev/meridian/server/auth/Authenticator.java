package dev.meridian.server.auth;

import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.observe.SampledWarnings;
import dev.meridian.server.policy.Authorization;
import io.netty.util.AttributeKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request and finds its source region: SigV4 (the credential scope's region is the source
 * region, since AWS SDKs sign for the region they are configured with even with an endpoint override) or a
 * bearer API key (its configured region). Failures are logged without any secret (at most one line a second for
 * each kind of failure) and raised as AWS-shaped errors.
 */
public final class Authenticator {
    /**
     * At most one line a second for each kind of failure: a client retrying with a wrong key cannot flood the log
     * (the {@code meridian_authentication_failures_total} metric counts every failure).
     */
    private final SampledWarnings<ErrorKind> failureLog =
            new SampledWarnings<>(LoggerFactory.getLogger(Authenticator.class), 1_000);

    /** The authenticated caller of a request, for the audit trail. */
    public static final AttributeKey<Caller> CALLER = AttributeKey.valueOf(Authenticator.class, "CALLER");

    private final Consumer<ErrorKind> failures;
    private final SigV4Verifier sigV4;
    private final Map<String, ApiKey> apiKeysBySha256;
    private final boolean allowAnonymous;
    private final String homeRegion;

    private final Authorization authorization;

    public Authenticator(AuthSettings settings, String homeRegion, Clock clock) {
        this(settings, homeRegion, clock, Authorization.unrestricted("000000000000"));
    }

    /** An authenticator whose {@link #authorize} applies {@code authorization}. */
    public Authenticator(AuthSettings settings, String homeRegion, Clock clock, Authorization authorization) {
        this(settings, homeRegion, clock, authorization, kind -> {});
    }

    /** As above, telling {@code failures} the kind of every refused authentication (the metrics count them). */
    public Authenticator(
            AuthSettings settings,
            String homeRegion,
            Clock clock,
            Authorization authorization,
            Consumer<ErrorKind> failures) {
        this.failures = failures;
        this.authorization = authorization;
        this.sigV4 = new SigV4Verifier(settings.accessKeys(), settings.clockSkew(), clock);
        this.apiKeysBySha256 = new HashMap<>();
        settings.apiKeys().forEach(k -> apiKeysBySha256.put(sha256(k.key()), k));
        this.allowAnonymous = settings.allowAnonymous();
        this.homeRegion = homeRegion;
    }

    /**
     * Authenticates the request with {@code headers} and {@code body}, and remembers the caller in {@code ctx}.
     *
     * @throws GatewayException an authentication error (403), or VALIDATION when the credential names a region
     *     the catalog does not have
     */
    public Caller authenticate(ServiceRequestContext ctx, RequestHeaders headers, byte[] body, Catalog catalog) {
        return authenticate(ctx, headers, body, catalog, "bedrock");
    }

    /** As {@link #authenticate(ServiceRequestContext, RequestHeaders, byte[], Catalog)} for another service. */
    public Caller authenticate(
            ServiceRequestContext ctx, RequestHeaders headers, byte[] body, Catalog catalog, String signingName) {
        try {
            Caller caller = identify(headers, body, signingName);
            if (catalog.region(caller.sourceRegion()).isEmpty()) {
                throw GatewayException.validation("The credential scope names region '" + caller.sourceRegion()
                        + "', which this gateway does not serve. Known regions: " + catalog.regionIds() + ".");
            }
            ctx.setAttr(CALLER, caller);
            return caller;
        } catch (GatewayException e) {
            failures.accept(e.kind());
            failureLog.warn(
                    e.kind(),
                    "authentication failed: method=" + headers.method() + " path=" + headers.path() + " kind="
                            + e.kind() + " reason=" + e.getMessage());
            throw e;
        }
    }

    /**
     * Requires {@code caller} to be allowed {@code action} (e.g. {@code bedrock:GetInferenceProfile}) on
     * {@code resource} (an ARN, or {@code *} for list operations); every control-plane surface calls this right
     * after {@link #authenticate}.
     *
     * @throws GatewayException ACCESS_DENIED with IAM's wording
     */
    public void authorize(Caller caller, String action, String resource) {
        authorization.require(caller.principal(), caller.sourceRegion(), action, resource);
    }

    private Caller identify(RequestHeaders headers, byte[] body, String signingName) {
        String authorization = headers.get("authorization");
        if (authorization == null || authorization.isBlank()) {
            if (allowAnonymous) {
                return new Caller("anonymous", homeRegion);
            }
            throw new GatewayException(ErrorKind.MISSING_AUTHENTICATION, "Missing Authentication Token");
        }
        if (authorization.startsWith("AWS4-HMAC-SHA256")) {
            SigV4Verifier.Verified v = sigV4.verify(headers, body, signingName);
            return new Caller(v.principal(), v.region(), v.accessKeyId());
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ApiKey key = apiKeysBySha256.get(sha256(authorization.substring(7).trim()));
            if (key == null) {
                throw new GatewayException(
                        ErrorKind.UNRECOGNIZED_CLIENT, "The API key included in the request is invalid.");
            }
            return new Caller(key.principal(), key.region());
        }
        throw new GatewayException(
                ErrorKind.INVALID_SIGNATURE,
                "Unsupported authorization scheme; use AWS Signature Version 4 or a bearer API key.");
    }

    /** Looks keys up by digest, so no comparison leaks a key's prefix through timing. */
    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

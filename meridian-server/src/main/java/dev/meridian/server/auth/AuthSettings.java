package dev.meridian.server.auth;

import java.time.Duration;
import java.util.List;

/**
 * Who may call the gateway.
 *
 * @param accessKeys SigV4 access keys
 * @param apiKeys bearer API keys
 * @param clockSkew how far a request's signed time may be from the gateway's clock
 * @param allowAnonymous whether requests without credentials are accepted (as principal {@code anonymous} in the
 *     home region); off by default
 */
public record AuthSettings(
        List<AccessKey> accessKeys, List<ApiKey> apiKeys, Duration clockSkew, boolean allowAnonymous) {

    /** The demo key pair printed by {@code meridian serve}; accepted only while the gateway listens on loopback. */
    public static final AccessKey DEMO_ACCESS_KEY = new AccessKey("AKIAMERIDIANDEMO", "meridian-demo-secret", "demo");

    /** The demo bearer API key; source region is the home region. */
    public static final String DEMO_API_KEY = "meridian-demo-api-key";

    public AuthSettings {
        accessKeys = List.copyOf(accessKeys);
        apiKeys = List.copyOf(apiKeys);
    }

    /** Whether these settings still hold the built-in demo credentials. */
    public boolean usesDemoCredentials() {
        return accessKeys.stream().anyMatch(k -> k.accessKeyId().equals(DEMO_ACCESS_KEY.accessKeyId()))
                || apiKeys.stream().anyMatch(k -> k.key().equals(DEMO_API_KEY));
    }
}

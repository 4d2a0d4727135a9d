package dev.meridian.server.auth;

import java.util.Objects;

/**
 * A Bedrock-style bearer API key ({@code Authorization: Bearer <key>}) mapped to a principal and the source
 * region its calls count as made from. {@link #toString()} never shows the key.
 */
public record ApiKey(String key, String principal, String region) {

    public ApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(region, "region");
    }

    @Override
    public String toString() {
        return "ApiKey[key=<redacted>, principal=" + principal + ", region=" + region + "]";
    }
}

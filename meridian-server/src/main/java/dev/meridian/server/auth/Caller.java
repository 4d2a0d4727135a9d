package dev.meridian.server.auth;

import java.util.Objects;

/**
 * Who is calling and from which source region. The source region decides the allowed destinations and where
 * the request's records are kept.
 *
 * @param principal the access key id or API key principal; {@code anonymous} when none was presented
 * @param sourceRegion the region whose endpoint the caller addressed
 */
public record Caller(String principal, String sourceRegion) {

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
    }
}

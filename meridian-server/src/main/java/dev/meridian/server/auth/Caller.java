package dev.meridian.server.auth;

import java.util.Objects;

/**
 * Who is calling and from which source region. The source region decides the allowed destinations and where
 * the request's records are kept.
 *
 * @param principal the access key id or API key principal; {@code anonymous} when none was presented
 * @param sourceRegion the region whose endpoint the caller addressed
 * @param accessKeyId the SigV4 access key id used, or {@code null} (bearer API keys are never recorded)
 */
public record Caller(String principal, String sourceRegion, String accessKeyId) {

    /** A caller that authenticated without an access key (bearer API key, or anonymous). */
    public Caller(String principal, String sourceRegion) {
        this(principal, sourceRegion, null);
    }

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(sourceRegion, "sourceRegion");
    }
}

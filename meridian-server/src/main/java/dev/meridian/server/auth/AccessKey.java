package dev.meridian.server.auth;

import java.util.Objects;

/**
 * An AWS-style access key pair mapped to a principal. {@link #toString()} never shows the secret.
 *
 * @param accessKeyId the public id, e.g. {@code AKIAMERIDIANDEMO}
 * @param secretAccessKey the signing secret
 * @param principal the name policies and audit records use for this caller
 */
public record AccessKey(String accessKeyId, String secretAccessKey, String principal) {

    public AccessKey {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(principal, "principal");
    }

    @Override
    public String toString() {
        return "AccessKey[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>, principal=" + principal + "]";
    }
}

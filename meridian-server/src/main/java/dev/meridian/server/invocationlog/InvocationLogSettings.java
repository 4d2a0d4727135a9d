package dev.meridian.server.invocationlog;

/**
 * Where the S3 destinations of invocation logging live. {@code kind: local} (the default) writes buckets as
 * directories under the data directory; {@code kind: s3} writes through the S3 API, to AWS's regional endpoints
 * (default credentials chain) or to {@code endpoint}. {@link #toString()} never shows the secret.
 *
 * @param s3 whether to use the S3 API rather than local directories
 * @param endpoint an S3-compatible endpoint, or {@code null} for AWS
 * @param accessKeyId a static access key, or {@code null} for the default credentials chain
 * @param secretAccessKey its secret
 * @param pathStyle path-style addressing (most S3-compatible servers need it)
 */
public record InvocationLogSettings(
        boolean s3, String endpoint, String accessKeyId, String secretAccessKey, boolean pathStyle) {

    public static InvocationLogSettings local() {
        return new InvocationLogSettings(false, null, null, null, false);
    }

    @Override
    public String toString() {
        return "InvocationLogSettings[s3=" + s3 + ", endpoint=" + endpoint + ", accessKeyId=" + accessKeyId
                + ", secretAccessKey=" + (secretAccessKey == null ? "none" : "<redacted>") + ", pathStyle="
                + pathStyle + "]";
    }
}

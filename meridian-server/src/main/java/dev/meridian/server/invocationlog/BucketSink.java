package dev.meridian.server.invocationlog;

/** Where invocation-log objects are written: a local directory in S3's key layout, or an S3-compatible store. */
public interface BucketSink extends AutoCloseable {

    /** Writes {@code body} as object {@code key} of {@code bucket} in {@code region} (blocking). */
    void put(String region, String bucket, String key, byte[] body, String contentType);

    @Override
    default void close() {}
}

package dev.meridian.server.invocationlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The default sink: {@code <root>/<region>/<bucket>/<key>}, with the same keys an S3 bucket would get, so the
 * files can be synchronised to a bucket later. Objects appear atomically (written aside, then moved).
 */
public final class LocalBucketSink implements BucketSink {
    private final Path root;

    public LocalBucketSink(Path root) {
        this.root = root;
    }

    @Override
    public void put(String region, String bucket, String key, byte[] body, String contentType) {
        Path file = root.resolve(region).resolve(bucket).resolve(key).normalize();
        if (!file.startsWith(root.resolve(region).resolve(bucket))) {
            throw new IllegalArgumentException("key escapes the bucket: " + key);
        }
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".put-", ".tmp");
            Files.write(temp, body);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

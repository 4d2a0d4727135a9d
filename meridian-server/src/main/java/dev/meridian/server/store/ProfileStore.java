package dev.meridian.server.store;

import dev.meridian.core.catalog.InferenceProfile;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable storage of application inference profiles. Implementations run blocking I/O on their own executor;
 * every method returns without blocking the caller.
 */
public interface ProfileStore extends AutoCloseable {

    /** A stored profile with the idempotency data of the request that created it. */
    record Stored(InferenceProfile profile, String clientToken, String requestDigest) {}

    /** Every stored profile, for loading into the catalog at start-up. */
    CompletableFuture<List<Stored>> loadAll();

    /** The profile created in {@code region} with {@code clientToken}, if any. */
    CompletableFuture<Optional<Stored>> findByToken(String region, String clientToken);

    /** Stores a new profile; fails if its id, its name in its region, or its token in its region is taken. */
    CompletableFuture<Void> insert(Stored stored);

    /** Replaces a profile's tags. */
    CompletableFuture<Void> updateTags(InferenceProfile profile);

    /** Deletes a profile and its tags. */
    CompletableFuture<Void> delete(String id);

    @Override
    void close();
}

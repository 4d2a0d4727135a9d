package dev.meridian.server.gateway;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.catalog.InferenceProfile;
import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.catalog.ModelIdResolver;
import dev.meridian.core.catalog.ProfileType;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.store.ProfileStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Application inference profiles: created by users as copies of a foundation model (one region) or of a
 * system-defined profile (its destination rules), for cost tracking and tags; persisted in the store and added
 * to the live catalog. Changes are serialised (they are rare) without blocking any thread: each one is chained
 * after the previous.
 */
public final class ApplicationProfiles {
    private static final Pattern NAME = Pattern.compile("([0-9a-zA-Z][ _-]?){1,64}");
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}");
    private static final Pattern TAG_KEY = Pattern.compile("[a-zA-Z0-9\\s._:/=+@-]{1,128}");
    private static final int MAX_TAGS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AtomicReference<Catalog> catalog;
    private final ProfileStore store;
    private final String accountId;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    public ApplicationProfiles(AtomicReference<Catalog> catalog, ProfileStore store, String accountId) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = Objects.requireNonNull(store, "store");
        this.accountId = accountId;
    }

    /** Loads every stored profile into the catalog; called once at start-up. */
    public void loadStored() {
        for (ProfileStore.Stored s : store.loadAll().join()) {
            catalog.updateAndGet(c -> c.withProfile(s.profile()));
        }
    }

    /**
     * What a CreateInferenceProfile request asks for.
     *
     * @param copyFrom a foundation-model ARN or a system-defined inference profile ARN of the source region
     */
    public record CreateRequest(
            String name, String description, String clientToken, String copyFrom, Map<String, String> tags) {}

    /** Creates a profile, or returns the one an identical earlier request with the same token created. */
    public CompletableFuture<InferenceProfile> create(Caller caller, CreateRequest request) {
        validate(request);
        return serialised(() -> {
            String region = caller.sourceRegion();
            String digest = digest(request);
            CompletableFuture<java.util.Optional<ProfileStore.Stored>> previous = request.clientToken() == null
                    ? CompletableFuture.completedFuture(java.util.Optional.empty())
                    : store.findByToken(region, request.clientToken());
            return previous.thenCompose(found -> {
                if (found.isPresent()) {
                    if (!found.get().requestDigest().equals(digest)) {
                        throw new GatewayException(
                                ErrorKind.CONFLICT,
                                "The clientRequestToken was already used " + "with different parameters.");
                    }
                    return CompletableFuture.completedFuture(found.get().profile());
                }
                InferenceProfile profile = newProfile(caller, request);
                return store.insert(new ProfileStore.Stored(profile, request.clientToken(), digest))
                        .thenApply(v -> {
                            catalog.updateAndGet(c -> c.withProfile(profile));
                            return profile;
                        });
            });
        });
    }

    private InferenceProfile newProfile(Caller caller, CreateRequest request) {
        Catalog c = catalog.get();
        String region = caller.sourceRegion();
        boolean nameTaken = c.profiles().stream()
                .anyMatch(p -> !p.isSystemDefined()
                        && p.homeRegion().equals(region)
                        && p.name().equals(request.name()));
        if (nameTaken) {
            throw new GatewayException(
                    ErrorKind.CONFLICT,
                    "An inference profile named '" + request.name() + "' already exists in " + region + ".");
        }
        if (request.copyFrom() == null || !request.copyFrom().startsWith("arn:")) {
            throw GatewayException.validation("modelSource.copyFrom must be the ARN of a foundation model or of a "
                    + "system-defined inference profile.");
        }
        InvocationTarget target = ModelIdResolver.of(c, accountId).resolve(request.copyFrom(), region);
        if (target.viaProfile() && !target.profile().isSystemDefined()) {
            throw GatewayException.validation("modelSource.copyFrom cannot be an application inference profile.");
        }
        if (DestinationRules.destinations(c, target, region).isEmpty()) {
            throw GatewayException.validation(
                    request.copyFrom() + " cannot be invoked from " + region + ", so it cannot be copied there.");
        }
        Set<String> regions = target.viaProfile() ? target.profile().regions() : Set.of(region);
        return new InferenceProfile(
                newId(c),
                request.name(),
                request.description(),
                ProfileType.APPLICATION,
                target.model().id(),
                null,
                regions,
                target.viaProfile() ? target.profile().id() : null,
                region,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                request.tags());
    }

    /** Deletes the application profile {@code id} of the caller's region. */
    public CompletableFuture<Void> delete(Caller caller, String id) {
        return serialised(() -> {
            InferenceProfile p = owned(caller, id);
            return store.delete(p.id()).thenRun(() -> catalog.updateAndGet(c -> c.withoutProfile(p.id())));
        });
    }

    /** Replaces the tags of an application profile with {@code tags}. */
    public CompletableFuture<InferenceProfile> retag(Caller caller, String id, Map<String, String> tags) {
        validateTags(tags);
        return serialised(() -> {
            InferenceProfile p = owned(caller, id);
            InferenceProfile updated = new InferenceProfile(
                    p.id(),
                    p.name(),
                    p.description(),
                    p.type(),
                    p.modelId(),
                    p.geography(),
                    p.regions(),
                    p.copiedFrom(),
                    p.homeRegion(),
                    p.createdAt(),
                    tags);
            return store.updateTags(updated).thenApply(v -> {
                catalog.updateAndGet(c -> c.withoutProfile(p.id()).withProfile(updated));
                return updated;
            });
        });
    }

    /** The application profile {@code id} owned by the caller's region. */
    public InferenceProfile owned(Caller caller, String id) {
        InferenceProfile p = catalog.get().profile(id).orElse(null);
        if (p == null || (!p.isSystemDefined() && !p.homeRegion().equals(caller.sourceRegion()))) {
            throw GatewayException.notFound(
                    "The inference profile " + id + " was not found in " + caller.sourceRegion() + ".");
        }
        if (p.isSystemDefined()) {
            throw GatewayException.validation(
                    "Only application inference profiles can be changed or deleted; " + id + " is system-defined.");
        }
        return p;
    }

    private synchronized <T> CompletableFuture<T> serialised(java.util.function.Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> next = tail.handle((v, e) -> null).thenCompose(v -> step.get());
        tail = next;
        return next;
    }

    private static void validate(CreateRequest r) {
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            throw GatewayException.validation("inferenceProfileName: " + r.name()
                    + " (expected: 1 to 64 letters, digits, and single spaces, '_' or '-' between them).");
        }
        if (r.description() != null && r.description().length() > 200) {
            throw GatewayException.validation("description: longer than 200 characters.");
        }
        if (r.clientToken() != null && !TOKEN.matcher(r.clientToken()).matches()) {
            throw GatewayException.validation(
                    "clientRequestToken: " + r.clientToken() + " (expected: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}).");
        }
        validateTags(r.tags());
    }

    private static void validateTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw GatewayException.validation("tags: " + tags.size() + " (expected: at most " + MAX_TAGS + ").");
        }
        tags.forEach((k, v) -> {
            if (!TAG_KEY.matcher(k).matches() || v.length() > 256) {
                throw GatewayException.validation(
                        "tags: key " + k + " (expected: 1 to 128 characters; values up to 256).");
            }
            if (k.regionMatches(true, 0, "aws:", 0, 4)) {
                throw GatewayException.validation(
                        "tags: key " + k + " (the 'aws:' prefix is reserved for AWS and cannot be set by users).");
            }
        });
    }

    private static String newId(Catalog c) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        while (true) {
            StringBuilder id = new StringBuilder(12);
            for (int i = 0; i < 12; i++) {
                id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            if (c.profile(id.toString()).isEmpty()) {
                return id.toString();
            }
        }
    }

    private static String digest(CreateRequest r) {
        String canonical = r.name() + "\n" + r.description() + "\n" + r.copyFrom() + "\n" + new TreeMap<>(r.tags());
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.meridian.server.surface.bedrock;

import dev.meridian.server.http.PercentDecoding;
import dev.meridian.server.http.RequestPaths;

/**
 * A Bedrock runtime path, {@code /model/{modelId}/{operation}}, split once for the runtime service and the audit
 * trail alike. The model id is the raw segment between the prefix and the last {@code /}: ARNs arrive with their
 * {@code /} encoded as {@code %2F}, so it is decoded as a whole, never split.
 *
 * @param encodedModelId the model id as it appears in the path, not empty
 * @param operation the operation named by the last segment, or {@code null} for a segment no operation has
 */
public record RuntimePath(String encodedModelId, RuntimeOperation operation) {
    private static final String PREFIX = "/model/";

    /**
     * Splits {@code target} (a path, with or without its query).
     *
     * @return the parts, or {@code null} when the path is not {@code /model/{non-empty id}/{segment}}
     */
    public static RuntimePath parse(String target) {
        String path = RequestPaths.withoutQuery(target);
        int slash = path.lastIndexOf('/');
        if (!path.startsWith(PREFIX) || slash <= PREFIX.length()) {
            return null;
        }
        return new RuntimePath(
                path.substring(PREFIX.length(), slash), RuntimeOperation.ofSegment(path.substring(slash + 1)));
    }

    /**
     * The percent-decoded model id.
     *
     * @throws IllegalArgumentException when the id holds a malformed escape or bytes that are not UTF-8
     */
    public String modelId() {
        return PercentDecoding.decode(encodedModelId);
    }
}

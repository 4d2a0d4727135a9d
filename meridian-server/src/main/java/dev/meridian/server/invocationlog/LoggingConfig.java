package dev.meridian.server.invocationlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.regex.Pattern;

/**
 * A source region's model invocation logging configuration, in Bedrock's {@code LoggingConfig} shape: where
 * records go (an S3 bucket, a log group delivered as JSON lines, or both) and which data types are included.
 *
 * @param s3 the bucket for records, or {@code null}
 * @param logGroupName the log group for records as JSON lines, or {@code null}
 * @param roleArn the role Bedrock would assume for the log group (kept for fidelity; Meridian writes itself)
 * @param largeData where bodies too large for a log-group line go, or {@code null}
 * @param textData whether text bodies are logged
 * @param imageData whether image data is logged (otherwise images are replaced by a placeholder)
 * @param embeddingData whether embeddings are logged
 * @param videoData whether video data is logged
 */
public record LoggingConfig(
        S3Location s3,
        String logGroupName,
        String roleArn,
        S3Location largeData,
        boolean textData,
        boolean imageData,
        boolean embeddingData,
        boolean videoData) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /** An S3 bucket and key prefix. */
    public record S3Location(String bucketName, String keyPrefix) {}

    /**
     * Reads a {@code PutModelInvocationLoggingConfiguration} body's {@code loggingConfig}.
     *
     * @throws GatewayException VALIDATION naming the field when the configuration is incomplete or malformed
     */
    public static LoggingConfig parse(JsonNode root) {
        return fromJson(root == null ? null : root.get("loggingConfig"));
    }

    /**
     * Reads a configuration as {@link #toJson()} wrote it (the store keeps that shape), checked as a request's is.
     *
     * @throws GatewayException VALIDATION naming the field when it is incomplete or malformed
     */
    public static LoggingConfig fromJson(JsonNode config) {
        JsonNode c = object(config, "loggingConfig");
        if (c == null) {
            throw GatewayException.validation("loggingConfig is required.");
        }
        S3Location s3 = location(c.get("s3Config"), "loggingConfig.s3Config");
        JsonNode cw = object(c.get("cloudWatchConfig"), "loggingConfig.cloudWatchConfig");
        String logGroup = null;
        String role = null;
        S3Location large = null;
        if (cw != null) {
            logGroup = required(cw, "logGroupName", "loggingConfig.cloudWatchConfig");
            if (!logGroup.matches("[\\w#/.-]{1,512}")) {
                throw GatewayException.validation("loggingConfig.cloudWatchConfig.logGroupName '" + logGroup
                        + "' is not a valid log group name.");
            }
            role = required(cw, "roleArn", "loggingConfig.cloudWatchConfig");
            large = location(
                    cw.get("largeDataDeliveryS3Config"), "loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config");
        }
        if (s3 == null && logGroup == null) {
            throw GatewayException.validation(
                    "loggingConfig needs a destination: s3Config, cloudWatchConfig, or both.");
        }
        return new LoggingConfig(
                s3,
                logGroup,
                role,
                large,
                flag(c, "textDataDeliveryEnabled"),
                flag(c, "imageDataDeliveryEnabled"),
                flag(c, "embeddingDataDeliveryEnabled"),
                flag(c, "videoDataDeliveryEnabled"));
    }

    /** The configuration in Bedrock's JSON shape, as {@code GetModelInvocationLoggingConfiguration} returns it. */
    public ObjectNode toJson() {
        ObjectNode c = Json.object();
        if (logGroupName != null) {
            ObjectNode cw = c.putObject("cloudWatchConfig")
                    .put("logGroupName", logGroupName)
                    .put("roleArn", roleArn);
            if (largeData != null) {
                put(cw.putObject("largeDataDeliveryS3Config"), largeData);
            }
        }
        if (s3 != null) {
            put(c.putObject("s3Config"), s3);
        }
        c.put("textDataDeliveryEnabled", textData);
        c.put("imageDataDeliveryEnabled", imageData);
        c.put("embeddingDataDeliveryEnabled", embeddingData);
        c.put("videoDataDeliveryEnabled", videoData);
        return c;
    }

    private static void put(ObjectNode n, S3Location l) {
        n.put("bucketName", l.bucketName());
        if (l.keyPrefix() != null) {
            n.put("keyPrefix", l.keyPrefix());
        }
    }

    private static S3Location location(JsonNode node, String path) {
        JsonNode n = object(node, path);
        if (n == null) {
            return null;
        }
        String bucket = required(n, "bucketName", path);
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw GatewayException.validation(path + ".bucketName '" + bucket
                    + "' is not a valid bucket name (3-63 lower-case letters, digits, dots and hyphens).");
        }
        JsonNode prefixNode = n.get("keyPrefix");
        if (prefixNode != null && !prefixNode.isNull() && !prefixNode.isTextual()) {
            throw GatewayException.validation(path + ".keyPrefix must be a string.");
        }
        String prefix = prefixNode == null || prefixNode.isNull() ? null : prefixNode.textValue();
        if (prefix != null && (prefix.length() > 1024 || prefix.contains(".."))) {
            throw GatewayException.validation(path + ".keyPrefix is not a valid key prefix.");
        }
        return new S3Location(bucket, prefix == null || prefix.isEmpty() ? null : prefix);
    }

    private static String required(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw GatewayException.validation(path + "." + field + " must be a string.");
        }
        if (v == null || v.isNull() || v.textValue().isBlank()) {
            throw GatewayException.validation(path + "." + field + " is required.");
        }
        return v.textValue();
    }

    /** The member as an object, {@code null} when absent or null; any other JSON type is refused, not skipped. */
    private static JsonNode object(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw GatewayException.validation(path + " must be an object.");
        }
        return v;
    }

    private static boolean flag(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (v == null || v.isNull()) {
            return true;
        }
        if (!v.isBoolean()) {
            throw GatewayException.validation("loggingConfig." + field + " must be true or false.");
        }
        return v.booleanValue();
    }
}

package dev.meridian.server.audit;

import com.linecorp.armeria.common.HttpMethod;
import dev.meridian.server.http.PercentDecoding;
import dev.meridian.server.http.RequestPaths;
import dev.meridian.server.surface.bedrock.RuntimePath;

/**
 * The API operation a request is, for its audit event: CloudTrail's event name and source, whether it only
 * reads, and which request data may be recorded. Invocations record the model id only, never the body (prompts
 * and outputs are content, not metadata); control-plane calls record their JSON body and response.
 *
 * @param eventName e.g. {@code InvokeModel}
 * @param eventSource e.g. {@code bedrock.amazonaws.com}
 * @param readOnly whether the operation only reads
 * @param invocation whether this is a model invocation (body never recorded, response streamed through)
 * @param resourceType the CloudTrail resource type of {@code resourceName}, or {@code null}
 * @param resourceName the identifier taken from the path, or {@code null}
 */
public record AuditedOperation(
        String eventName,
        String eventSource,
        boolean readOnly,
        boolean invocation,
        String resourceType,
        String resourceName) {

    static final String BEDROCK = "bedrock.amazonaws.com";
    static final String CLOUDTRAIL = "cloudtrail.amazonaws.com";
    private static final String MODEL = "AWS::Bedrock::Model";
    private static final String PROFILE = "AWS::Bedrock::InferenceProfile";

    /** The operation {@code req} is, or {@code null} when it is not an API call (e.g. {@code /metrics}). */
    public static AuditedOperation of(com.linecorp.armeria.common.HttpRequest req) {
        return of(req.method(), req.path(), req.headers().get("x-amz-target"));
    }

    /** The operation {@code method path} is, or {@code null} when it is not an audited API call. */
    public static AuditedOperation of(HttpMethod method, String path, String amzTarget) {
        String p = RequestPaths.withoutQuery(path);
        if (p.startsWith("/openai/v1/")) { // Bedrock's OpenAI-compatible endpoint: the same API as under /v1/
            p = p.substring("/openai".length());
        }
        if (p.startsWith("/model/")) {
            RuntimePath runtime = RuntimePath.parse(p);
            return runtime == null || runtime.operation() == null || method != HttpMethod.POST
                    ? null
                    : new AuditedOperation(
                            runtime.operation().eventName(), BEDROCK, false, true, MODEL, modelId(runtime));
        }
        if (p.equals("/v1/chat/completions") && method == HttpMethod.POST) {
            return new AuditedOperation("CreateChatCompletion", BEDROCK, false, true, MODEL, null);
        }
        if (p.equals("/v1/responses") && method == HttpMethod.POST) {
            return new AuditedOperation("CreateResponse", BEDROCK, false, true, MODEL, null);
        }
        if (p.equals("/anthropic/v1/messages") && method == HttpMethod.POST) {
            return new AuditedOperation("CreateMessage", BEDROCK, false, true, MODEL, null);
        }
        if (p.equals("/anthropic/v1/messages/count_tokens") && method == HttpMethod.POST) {
            return new AuditedOperation("CountTokens", BEDROCK, false, true, MODEL, null);
        }
        if (p.equals("/v1/models") && method == HttpMethod.GET) {
            return control("ListModels", true, null, null);
        }
        if (p.startsWith("/v1/models/") && method == HttpMethod.GET) {
            return control("RetrieveModel", true, MODEL, decoded(p, "/v1/models/".length(), p.length()));
        }
        if (p.equals("/inference-profiles")) {
            return method == HttpMethod.POST
                    ? control("CreateInferenceProfile", false, PROFILE, null)
                    : control("ListInferenceProfiles", true, null, null);
        }
        if (p.startsWith("/inference-profiles/")) {
            String id = decoded(p, "/inference-profiles/".length(), p.length());
            return method == HttpMethod.DELETE
                    ? control("DeleteInferenceProfile", false, PROFILE, id)
                    : control("GetInferenceProfile", true, PROFILE, id);
        }
        if (p.equals("/foundation-models")) {
            return control("ListFoundationModels", true, null, null);
        }
        if (p.startsWith("/foundation-models/")) {
            return control("GetFoundationModel", true, MODEL, decoded(p, "/foundation-models/".length(), p.length()));
        }
        if (p.equals("/logging/modelinvocations")) {
            return switch (method.name()) {
                case "PUT" -> control("PutModelInvocationLoggingConfiguration", false, null, null);
                case "DELETE" -> control("DeleteModelInvocationLoggingConfiguration", false, null, null);
                default -> control("GetModelInvocationLoggingConfiguration", true, null, null);
            };
        }
        return switch (p) {
            case "/tagResource" -> control("TagResource", false, null, null);
            case "/untagResource" -> control("UntagResource", false, null, null);
            case "/listTagsForResource" -> control("ListTagsForResource", true, null, null);
            case "/" ->
                amzTarget != null && amzTarget.endsWith(".LookupEvents")
                        ? new AuditedOperation("LookupEvents", CLOUDTRAIL, true, false, null, null)
                        : null;
            default -> null;
        };
    }

    private static AuditedOperation control(String name, boolean readOnly, String type, String resource) {
        return new AuditedOperation(name, BEDROCK, readOnly, false, type, resource);
    }

    /** The decoded model id, or the raw one when it does not decode (the service refuses such a request). */
    private static String modelId(RuntimePath runtime) {
        try {
            return runtime.modelId();
        } catch (IllegalArgumentException e) {
            return runtime.encodedModelId();
        }
    }

    private static String decoded(String path, int from, int to) {
        try {
            return PercentDecoding.decode(path.substring(from, to));
        } catch (IllegalArgumentException e) {
            return path.substring(from, to);
        }
    }
}

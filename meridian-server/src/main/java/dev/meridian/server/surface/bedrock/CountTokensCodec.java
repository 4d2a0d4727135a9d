package dev.meridian.server.surface.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CountTokens' body, {@code {"input": {"converse": {...}}}} or {@code {"input": {"invokeModel": {"body": base64}}}},
 * read into the canonical request the count is made for: the converse form as a Converse body limited to the
 * members Bedrock's {@code ConverseTokensRequest} has, the invokeModel form as the model's native InvokeModel body.
 * Its answer is {@code {"inputTokens": n}}.
 */
final class CountTokensCodec {
    private static final Set<String> FIELDS = Set.of("input");
    private static final Set<String> INPUT_FIELDS = Set.of("converse", "invokeModel");
    private static final Set<String> CONVERSE_FIELDS =
            Set.of("messages", "system", "toolConfig", "additionalModelRequestFields");
    private static final Set<String> INVOKE_MODEL_FIELDS = Set.of("body");

    private CountTokensCodec() {}

    /**
     * The request to count.
     *
     * @param nativeFormat the model's InvokeModel body format, asked for only when the input is in that form
     * @throws GatewayException VALIDATION naming what is malformed or missing
     */
    static ChatRequest parse(byte[] body, Supplier<NativeFormat> nativeFormat) {
        JsonNode root = ConverseCodec.readObject(body);
        BedrockFields.onlyKnown(root, FIELDS, "");
        JsonNode input = BedrockFields.object(root, "input", "");
        if (input == null) {
            throw GatewayException.validation("1 validation error detected: Value null at 'input' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        BedrockFields.onlyKnown(input, INPUT_FIELDS, "/input");
        JsonNode converse = BedrockFields.object(input, "converse", "input.");
        JsonNode invokeModel = BedrockFields.object(input, "invokeModel", "input.");
        if ((converse == null) == (invokeModel == null)) {
            throw GatewayException.validation(
                    "input: exactly one of 'converse' and 'invokeModel' must be set (the union CountTokensInput).");
        }
        if (converse != null) {
            BedrockFields.onlyKnown(converse, CONVERSE_FIELDS, "/input/converse");
            return ConverseCodec.parse(converse);
        }
        BedrockFields.onlyKnown(invokeModel, INVOKE_MODEL_FIELDS, "/input/invokeModel");
        String encoded = BedrockFields.requiredString(invokeModel, "body", "input.invokeModel.");
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation("input.invokeModel.body: not base64 (" + e.getMessage() + ").");
        }
        return nativeFormat.get().parse(ConverseCodec.readObject(decoded));
    }

    static byte[] render(int inputTokens) {
        return Json.bytes(Json.MAPPER.createObjectNode().put("inputTokens", inputTokens));
    }
}

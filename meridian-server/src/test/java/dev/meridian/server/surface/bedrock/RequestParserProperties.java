package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz-style properties for every request parser (Converse, Nova, Anthropic): random bytes, invalid UTF-8,
 * truncated and deeply nested JSON, and random JSON trees built from the fields the parsers know. Each input is
 * either accepted or refused with a VALIDATION error; nothing else may escape.
 */
class RequestParserProperties {
    private static final List<String> KEYS = List.of(
            "messages",
            "role",
            "content",
            "text",
            "system",
            "inferenceConfig",
            "maxTokens",
            "max_tokens",
            "temperature",
            "topP",
            "top_p",
            "stopSequences",
            "stop_sequences",
            "toolConfig",
            "tools",
            "toolSpec",
            "name",
            "inputSchema",
            "json",
            "toolChoice",
            "auto",
            "any",
            "tool",
            "toolUse",
            "toolUseId",
            "input",
            "toolResult",
            "status",
            "requestMetadata",
            "anthropic_version",
            "type",
            "id",
            "tool_use_id",
            "schemaVersion",
            "max_new_tokens",
            "top_k",
            "cachePoint",
            "image");
    private static final List<String> STRINGS = List.of(
            "user",
            "assistant",
            "text",
            "tool_use",
            "tool_result",
            "bedrock-2023-05-31",
            "messages-v1",
            "success",
            "error",
            "t1",
            "f",
            "",
            "\u0000",
            "😀");

    static void parseAll(byte[] body) {
        for (ParserCall call : List.<ParserCall>of(
                ConverseCodec::parse,
                b -> new NovaFormat().parse(ConverseCodec.readObject(b)),
                b -> new AnthropicFormat().parse(ConverseCodec.readObject(b)))) {
            try {
                call.parse(body);
            } catch (GatewayException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION);
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    interface ParserCall {
        void parse(byte[] body);
    }

    @Property(tries = 500)
    void randomBytes_areAcceptedOrRefusedCleanly(@ForAll byte[] body) {
        parseAll(body);
    }

    @Property(tries = 1000)
    void randomJsonTrees_areAcceptedOrRefusedCleanly(@ForAll("trees") JsonNode tree) {
        parseAll(tree.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void truncatedValidRequests_areRefusedCleanly(@ForAll("cut") int cut) {
        byte[] valid = ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"héllo\"}]}],"
                        + "\"inferenceConfig\":{\"maxTokens\":10}}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(valid, Math.min(cut, valid.length - 1));
        parseAll(truncated);
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 200);
    }

    @Property(tries = 20)
    void deeplyNestedJson_isRefusedCleanly(@ForAll("depths") int depth) {
        String nested = "[".repeat(depth) + "]".repeat(depth);
        parseAll(("{\"messages\":" + nested + "}").getBytes(StandardCharsets.UTF_8));
        parseAll(
                ("{\"messages\":[{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t\",\"content\":[{\"json\":"
                                + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}]}}]}]}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.integers().between(100, 5000);
    }

    @Property(tries = 100)
    void invalidUtf8_isRefusedCleanly(@ForAll byte[] garbage) {
        byte[] prefix = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + garbage.length + 2];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        for (int i = 0; i < garbage.length; i++) {
            body[prefix.length + i] = (byte) (garbage[i] | 0x80);
        }
        parseAll(body);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return Arbitraries.longs().map(seed -> tree(new Random(seed), 0));
    }

    private static JsonNode tree(Random rnd, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = depth > 5 ? 3 + rnd.nextInt(4) : rnd.nextInt(7);
        return switch (kind) {
            case 0, 1 -> {
                ObjectNode o = f.objectNode();
                for (int i = rnd.nextInt(5); i > 0; i--) {
                    o.set(KEYS.get(rnd.nextInt(KEYS.size())), tree(rnd, depth + 1));
                }
                yield o;
            }
            case 2 -> {
                ArrayNode a = f.arrayNode();
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    a.add(tree(rnd, depth + 1));
                }
                yield a;
            }
            case 3 -> f.textNode(STRINGS.get(rnd.nextInt(STRINGS.size())));
            case 4 -> f.numberNode(rnd.nextInt(5) - 1);
            case 5 -> f.numberNode(rnd.nextDouble() * 3 - 1);
            default -> rnd.nextBoolean() ? f.booleanNode(rnd.nextBoolean()) : f.nullNode();
        };
    }
}

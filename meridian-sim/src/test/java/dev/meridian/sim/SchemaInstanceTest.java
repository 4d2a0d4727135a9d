package dev.meridian.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated model's structured output: an instance of the caller's schema. */
class SchemaInstanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The schema pydantic writes for a model with a nested list, an enum, an optional field and bounds. */
    private static final String PYDANTIC_STYLE = """
            {"type": "json_schema", "json_schema": {"name": "Forecast", "strict": true, "schema": {
              "$defs": {
                "Kind": {"enum": ["sunny", "rainy"], "type": "string"},
                "Day": {"type": "object", "additionalProperties": false, "required": ["date", "kind", "high"],
                        "properties": {"date": {"type": "string", "format": "date"},
                                       "kind": {"$ref": "#/$defs/Kind"},
                                       "high": {"type": "integer", "minimum": -40, "maximum": -10}}}},
              "type": "object", "additionalProperties": false, "required": ["city", "days", "note", "score"],
              "properties": {
                "city": {"type": "string", "minLength": 12, "maxLength": 20},
                "days": {"type": "array", "items": {"$ref": "#/$defs/Day"}, "minItems": 3, "maxItems": 3},
                "note": {"anyOf": [{"type": "null"}, {"type": "string"}]},
                "score": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}}}}}
            """;

    @Test
    void pydanticStyleSchema_isAnsweredWithAnInstanceOfIt() throws Exception {
        JsonNode answer = JSON.readTree(SchemaInstance.answer(PYDANTIC_STYLE, 42));
        assertThat(answer.properties())
                .extracting(java.util.Map.Entry::getKey)
                .containsExactly("city", "days", "note", "score");
        assertThat(answer.get("city").asText()).hasSizeBetween(12, 20);
        assertThat(answer.get("days")).hasSize(3);
        for (JsonNode day : answer.get("days")) {
            assertThat(day.get("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(day.get("kind").asText()).isIn("sunny", "rainy");
            assertThat(day.get("high").isIntegralNumber()).isTrue();
            assertThat(day.get("high").asInt()).isBetween(-40, -10);
        }
        assertThat(answer.get("note").isTextual()).isTrue();
        assertThat(answer.get("score").asDouble()).isGreaterThan(0).isLessThan(1);
    }

    @Test
    void sameSchemaAndSeed_giveTheSameInstance() {
        assertThat(SchemaInstance.answer(PYDANTIC_STYLE, 7)).isEqualTo(SchemaInstance.answer(PYDANTIC_STYLE, 7));
    }

    @Test
    void recursiveSchema_endsAtTheDepthLimit() throws Exception {
        String tree = """
                {"type": "json_schema", "json_schema": {"name": "Tree", "schema": {"$ref": "#/$defs/Node", "$defs": {
                  "Node": {"type": "object", "properties": {"children": {"type": "array", "minItems": 1,
                           "items": {"$ref": "#/$defs/Node"}}}}}}}}
                """;
        assertThat(JSON.readTree(SchemaInstance.answer(tree, 1)).has("children"))
                .isTrue();
    }

    @Test
    void jsonObjectFormat_hasNoSchemaToFollow() {
        assertThat(SchemaInstance.answer("{\"type\":\"json_object\"}", 1)).isNull();
    }

    @Test
    void theModelsAnswer_followsTheSchema_andIsCutAtMaxTokensLikeARealModel() throws Exception {
        ChatRequest request = request(InferenceParams.DEFAULTS);
        TextGenerator.Generated whole = TextGenerator.answer("m", "forecast", request);
        assertThat(JSON.readTree(whole.text()).has("days")).isTrue();
        assertThat(whole.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(whole.outputTokens()).isEqualTo(Tokenizer.count(whole.text()));

        TextGenerator.Generated cut =
                TextGenerator.answer("m", "forecast", request(new InferenceParams(5, null, null, List.of())));
        assertThat(cut.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(cut.outputTokens()).isEqualTo(5);
        assertThat(whole.text()).startsWith(cut.text());
    }

    private static ChatRequest request(InferenceParams params) {
        return new ChatRequest(
                List.of(),
                List.of(Message.text(Role.USER, "forecast")),
                params,
                Map.of(),
                List.of(),
                ToolChoice.AUTO,
                PYDANTIC_STYLE);
    }

    @Test
    void toolArguments_followTheToolsParameters_orCarryThePromptWhenItNamesNone() throws Exception {
        String weather = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                + "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},\"required\":[\"city\",\"days\"]}";
        JsonNode args = JSON.readTree(SchemaInstance.toolInput(weather, 3, "Weather in Paris?"));
        assertThat(args.get("city").isTextual()).isTrue();
        assertThat(args.get("days").asInt()).isBetween(1, 7);
        assertThat(SchemaInstance.toolInput("{\"type\":\"object\"}", 3, "Weather in \"Paris\"?"))
                .isEqualTo("{\"prompt\":\"Weather in \\\"Paris\\\"?\"}");
        assertThat(SchemaInstance.toolInput("{\"type\":\"object\",\"additionalProperties\":false}", 3, "x"))
                .isEqualTo("{}");
    }
}

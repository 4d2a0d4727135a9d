package dev.meridian.server.surface.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Responses API read into the canonical request, and a canonical stream written as its events. */
class ResponsesCodecTest {
    private static ResponsesCodec.Parsed parse(String json) {
        return ResponsesCodec.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayException refused(String json) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(GatewayException.class, () -> parse(json));
    }

    @Test
    void aStringInput_isOneUserMessage_andInstructionsTheSystemPrompt() {
        ChatRequest r = parse("""
                {"model": "m", "input": "hi", "instructions": "be brief", "max_output_tokens": 50,
                 "temperature": 0.2, "reasoning": {"effort": "minimal"}}""").request();

        assertThat(r.system()).containsExactly("be brief");
        assertThat(r.messages()).singleElement().satisfies(m -> {
            assertThat(m.role()).isEqualTo(Role.USER);
            assertThat(m.text()).isEqualTo("hi");
        });
        assertThat(r.params().maxTokens()).isEqualTo(50);
        assertThat(r.params().temperature()).isEqualTo(0.2);
        assertThat(r.params().reasoning().impliedEffort()).isEqualTo("low");
    }

    @Test
    void functionCallsAndTheirOutputs_becomeToolUseAndToolResults_reasoningItemsAreSkipped() {
        ChatRequest r = parse("""
                {"model": "m", "input": [
                  {"role": "developer", "content": "use tools"},
                  {"role": "user", "content": "weather?"},
                  {"type": "reasoning", "id": "rs_1", "summary": []},
                  {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"},
                  {"type": "function_call", "call_id": "c2", "name": "get_weather", "arguments": "{\\"city\\":\\"Rome\\"}"},
                  {"type": "function_call_output", "call_id": "c2", "output": "rain"},
                  {"type": "function_call_output", "call_id": "c1", "output": [{"type": "input_text", "text": "sun"}]}],
                 "tools": [{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}],
                 "tool_choice": {"type": "function", "name": "get_weather"}, "parallel_tool_calls": false}""").request();

        assertThat(r.system()).containsExactly("use tools");
        assertThat(r.messages()).extracting(m -> m.role()).containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(r.messages().get(1).content())
                .extracting(b -> ((ContentBlock.ToolUse) b).id())
                .containsExactly("c1", "c2");
        assertThat(r.messages().get(2).content())
                .extracting(b -> ((ContentBlock.ToolResult) b).toolUseId())
                .containsExactly("c2", "c1");
        assertThat(r.toolChoice().mode()).isEqualTo(ToolChoice.Mode.TOOL);
        assertThat(r.toolChoice().singleCall()).isTrue();
    }

    @Test
    void aJsonSchemaFormat_isAskedForAsChatCompletionsAskForIt() throws Exception {
        ChatRequest r = parse("""
                {"model": "m", "input": "x", "text": {"format": {"type": "json_schema", "name": "w",
                 "schema": {"type": "object"}, "strict": true}}}""").request();

        JsonNode format = Json.MAPPER.readTree(r.responseFormat());
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("w");
        assertThat(format.path("json_schema").path("schema").path("type").asText())
                .isEqualTo("object");
    }

    @Test
    void whatNeedsStateOrIsNotOffered_isRefusedNamingIt() {
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"previous_response_id\": \"resp_1\"}")
                        .parameter())
                .isEqualTo("previous_response_id");
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"background\": true}")
                        .parameter())
                .isEqualTo("background");
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"max_tokens\": 5}")
                        .getMessage())
                .isEqualTo("Unrecognized request argument supplied: max_tokens");
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"truncation\": \"auto\"}")
                        .parameter())
                .isEqualTo("truncation");
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"include\": [\"file_search_call.results\"]}")
                        .parameter())
                .isEqualTo("include");
        assertThat(refused("{\"model\": \"m\", \"input\": [{\"type\": \"item_reference\", \"id\": \"msg_1\"}]}")
                        .getMessage())
                .contains("stores no responses");
        assertThat(refused("""
                        {"model": "m", "input": [{"role": "user", "content": [
                          {"type": "input_image", "image_url": "https://example.com/a.png"}]}]}""").getMessage()).contains("data URL");
        assertThat(refused("{\"model\": \"m\", \"input\": []}").parameter()).isEqualTo("input");
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"tool_choice\": \"required\"}")
                        .parameter())
                .isEqualTo("tool_choice");
    }

    @Test
    void aFunctionCallMustBeAnsweredBeforeTheConversationGoesOn() {
        assertThat(refused("""
                        {"model": "m", "input": [
                          {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
                          {"role": "user", "content": "and?"}]}""").getMessage()).isEqualTo("No tool output found for function call c1.");
        assertThat(refused("""
                        {"model": "m", "input": [
                          {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "[1]"},
                          {"type": "function_call_output", "call_id": "c1", "output": "x"}]}""").parameter()).isEqualTo("input[0].arguments");
    }

    /** The events {@code stream} is written as for request {@code p}, as their JSON payloads (see {@link #events}). */
    private static List<JsonNode> streamed(ResponsesCodec.Parsed p, ChatEvent... stream) throws Exception {
        ResponseEvents encoder = new ResponseEvents(p, "resp_abc", 1L);
        StringBuilder sse = new StringBuilder();
        for (ChatEvent e : stream) {
            sse.append(encoder.encode(e).toStringUtf8());
        }
        return events(sse);
    }

    /** Parses server-sent events into their JSON payloads, checking that each names its type in both places. */
    private static List<JsonNode> events(StringBuilder sse) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String block : sse.toString().split("\n\n")) {
            String[] lines = block.split("\n");
            JsonNode data = Json.MAPPER.readTree(lines[1].substring("data: ".length()));
            assertThat(lines[0]).isEqualTo("event: " + data.path("type").asText());
            out.add(data);
        }
        return out;
    }

    @Test
    void aStream_isNumberedEvents_itemByItem_endingWithTheWholeResponse() throws Exception {
        List<JsonNode> events = streamed(
                parse("{\"model\": \"m\", \"input\": \"x\"}"),
                new ChatEvent.MessageStart(3),
                ChatEvent.ReasoningDelta.text(0, "think"),
                new ChatEvent.BlockStop(0),
                new ChatEvent.TextDelta(1, "Hel"),
                new ChatEvent.TextDelta(1, "lo"),
                new ChatEvent.BlockStop(1),
                new ChatEvent.BlockStart(2, "call_1", "f"),
                new ChatEvent.ToolInputDelta(2, "{\"a\""),
                new ChatEvent.ToolInputDelta(2, ":1}"),
                new ChatEvent.BlockStop(2),
                new ChatEvent.MessageStop(StopReason.TOOL_USE),
                new ChatEvent.Metadata(new Usage(3, 7)));

        assertThat(events)
                .extracting(e -> e.path("sequence_number").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, events.size())
                        .boxed()
                        .toList());
        assertThat(events)
                .extracting(e -> e.path("type").asText())
                .containsExactly(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.reasoning_text.delta",
                        "response.reasoning_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.output_item.added",
                        "response.content_part.added",
                        "response.output_text.delta",
                        "response.output_text.delta",
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.output_item.added",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.delta",
                        "response.function_call_arguments.done",
                        "response.output_item.done",
                        "response.completed");
        JsonNode done = events.get(events.size() - 1).path("response");
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output"))
                .extracting(o -> o.path("type").asText())
                .containsExactly("reasoning", "message", "function_call");
        assertThat(done.at("/output/1/content/0/text").asText()).isEqualTo("Hello");
        assertThat(done.at("/output/2/arguments").asText()).isEqualTo("{\"a\":1}");
        assertThat(done.at("/output/2/call_id").asText()).isEqualTo("call_1");
        assertThat(done.at("/usage/total_tokens").asInt()).isEqualTo(10);
        assertThat(events.get(0).at("/response/status").asText()).isEqualTo("in_progress");
        assertThat(events.get(0).at("/response/output")).isEmpty();
    }

    @Test
    void aStreamCutAtTheOutputLimit_endsIncomplete_andOneThatFails_endsWithAnErrorAndResponseFailed() throws Exception {
        ResponsesCodec.Parsed p = parse("{\"model\": \"m\", \"input\": \"x\"}");
        ResponseEvents cut = new ResponseEvents(p, "resp_abc", 1L);
        StringBuilder sse = new StringBuilder();
        sse.append(cut.encode(new ChatEvent.MessageStart(1)).toStringUtf8());
        sse.append(cut.encode(new ChatEvent.TextDelta(0, "Hi")).toStringUtf8());
        sse.append(cut.encode(new ChatEvent.BlockStop(0)).toStringUtf8());
        sse.append(cut.encode(new ChatEvent.MessageStop(StopReason.MAX_TOKENS)).toStringUtf8());
        sse.append(cut.encode(new ChatEvent.Metadata(new Usage(1, 1))).toStringUtf8());
        JsonNode last = events(sse).get(events(sse).size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("response.incomplete");
        assertThat(last.at("/response/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
        assertThat(last.at("/response/output/0/status").asText()).isEqualTo("incomplete");

        ResponseEvents failing = new ResponseEvents(p, "resp_abc", 1L);
        StringBuilder failed = new StringBuilder();
        failed.append(failing.encode(new ChatEvent.MessageStart(1)).toStringUtf8());
        failed.append(failing.failure(new UpstreamException(FailureKind.UNAVAILABLE, "gone"))
                .toStringUtf8());
        List<JsonNode> events = events(failed);
        assertThat(events)
                .extracting(e -> e.path("type").asText())
                .containsExactly("response.created", "response.in_progress", "error", "response.failed");
        assertThat(events.get(3).at("/response/status").asText()).isEqualTo("failed");
        assertThat(events.get(3).path("sequence_number").asInt()).isEqualTo(3);
    }

    @Test
    void logProbabilities_areAskedForByInclude_withTopLogprobsAlternatives() throws Exception {
        assertThat(parse("""
                        {"model": "m", "input": "x", "include": ["message.output_text.logprobs"], "top_logprobs": 3}""").request().params().logprobs()).isEqualTo(3);
        assertThat(parse("{\"model\": \"m\", \"input\": \"x\", \"include\": [\"message.output_text.logprobs\"]}")
                        .request()
                        .params()
                        .logprobs())
                .isZero();
        assertThat(parse("{\"model\": \"m\", \"input\": \"x\", \"top_logprobs\": 3}")
                        .request()
                        .params()
                        .logprobs())
                .as("top_logprobs alone returns nothing, as with OpenAI")
                .isNull();
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"top_logprobs\": 21}")
                        .parameter())
                .isEqualTo("top_logprobs");

        var token = new dev.meridian.core.chat.TokenLogprob(
                "Hi",
                -0.1,
                List.of(72, 105),
                List.of(new dev.meridian.core.chat.TokenLogprob.Alternative("Ho", -2.0, List.of(72, 111))));
        var answer = new dev.meridian.core.chat.ChatResponse(
                new dev.meridian.core.chat.Message(Role.ASSISTANT, List.of(new ContentBlock.Text("Hi"))),
                StopReason.END_TURN,
                new Usage(1, 1),
                List.of(token));
        JsonNode out = ResponsesCodec.render(parse("{\"model\": \"m\", \"input\": \"x\"}"), answer, "resp_a", 1L);
        assertThat(out.at("/output/0/content/0/logprobs/0/token").asText()).isEqualTo("Hi");
        assertThat(out.at("/output/0/content/0/logprobs/0/top_logprobs/0/token").asText())
                .isEqualTo("Ho");

        ResponseEvents events = new ResponseEvents(parse("{\"model\": \"m\", \"input\": \"x\"}"), "resp_a", 1L);
        StringBuilder sse = new StringBuilder();
        sse.append(events.encode(new ChatEvent.MessageStart(1)).toStringUtf8());
        sse.append(
                events.encode(new ChatEvent.TextDelta(0, "Hi", List.of(token))).toStringUtf8());
        sse.append(events.encode(new ChatEvent.MessageStop(StopReason.END_TURN)).toStringUtf8());
        sse.append(events.encode(new ChatEvent.Metadata(new Usage(1, 1))).toStringUtf8());
        String stream = sse.toString();
        assertThat(stream).contains("\"type\":\"response.output_text.delta\"");
        JsonNode completed = Json.MAPPER.readTree(
                stream.substring(stream.lastIndexOf("data: ") + 6).trim());
        assertThat(completed
                        .at("/response/output/0/content/0/logprobs/0/logprob")
                        .asDouble())
                .isEqualTo(-0.1);
    }

    @Test
    void blankText_isNeitherSentToTheModelNorAnswered() {
        ChatRequest r = parse("""
                {"model": "m", "input": [
                  {"role": "user", "content": "weather?"},
                  {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": ""}]},
                  {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
                  {"type": "function_call_output", "call_id": "c1", "output": "sun"}]}""").request();
        assertThat(r.messages().get(1).content()).singleElement().isInstanceOf(ContentBlock.ToolUse.class);

        var answer = new dev.meridian.core.chat.ChatResponse(
                new dev.meridian.core.chat.Message(
                        Role.ASSISTANT, List.of(new ContentBlock.Text(""), new ContentBlock.ToolUse("c2", "f", "{}"))),
                StopReason.TOOL_USE,
                new Usage(2, 4));
        JsonNode out = ResponsesCodec.render(parse("{\"model\": \"m\", \"input\": \"x\"}"), answer, "resp_a", 1L);
        assertThat(out.path("output")).extracting(o -> o.path("type").asText()).containsExactly("function_call");
    }

    @Test
    void aWholeAnswer_isItsThinkingThenItsMessageThenItsCalls() {
        ResponsesCodec.Parsed p = parse("{\"model\": \"m\", \"input\": \"x\", \"max_output_tokens\": 9}");
        var answer = new dev.meridian.core.chat.ChatResponse(
                new dev.meridian.core.chat.Message(
                        Role.ASSISTANT,
                        List.of(
                                ContentBlock.Reasoning.text("hmm", null),
                                new ContentBlock.Text("Calling."),
                                new ContentBlock.ToolUse("call_9", "f", "{}"))),
                StopReason.TOOL_USE,
                new Usage(2, 4));

        JsonNode r = ResponsesCodec.render(p, answer, "resp_abc", 5L);

        assertThat(r.path("output"))
                .extracting(o -> o.path("type").asText())
                .containsExactly("reasoning", "message", "function_call");
        assertThat(r.path("status").asText()).isEqualTo("completed");
        assertThat(r.path("max_output_tokens").asInt()).isEqualTo(9);
        assertThat(r.at("/output/2/call_id").asText()).isEqualTo("call_9");
        assertThat(r.at("/usage/input_tokens").asInt()).isEqualTo(2);
    }

    private static final String SEALED =
            "{\"model\": \"m\", \"input\": \"x\", \"include\": [\"reasoning.encrypted_content\"]}";

    @Test
    void signedAndRedactedThinking_areSealedInEncryptedContent_onlyWhenIncluded() {
        var answer = new dev.meridian.core.chat.ChatResponse(
                new dev.meridian.core.chat.Message(
                        Role.ASSISTANT,
                        List.of(
                                ContentBlock.Reasoning.text("hmm", "c2lnbg=="),
                                ContentBlock.Reasoning.redacted("AAEC"),
                                new ContentBlock.Text("Done."))),
                StopReason.END_TURN,
                new Usage(2, 4));

        JsonNode sealed = ResponsesCodec.render(parse(SEALED), answer, "resp_abc", 5L);
        JsonNode plain = ResponsesCodec.render(parse("{\"model\": \"m\", \"input\": \"x\"}"), answer, "resp_abc", 5L);

        assertThat(sealed.path("output"))
                .extracting(o -> o.path("type").asText())
                .containsExactly("reasoning", "reasoning", "message");
        assertThat(sealed.at("/output/0/content/0/text").asText()).isEqualTo("hmm");
        assertThat(sealed.at("/output/0/encrypted_content").asText()).isEqualTo("signature:c2lnbg==");
        assertThat(sealed.at("/output/1/content")).isEmpty();
        assertThat(sealed.at("/output/1/encrypted_content").asText()).isEqualTo("redacted:AAEC");
        assertThat(plain.path("output"))
                .extracting(o -> o.path("type").asText())
                .containsExactly("reasoning", "message");
        assertThat(plain.at("/output/0/encrypted_content").isNull()).isTrue();
    }

    @Test
    void aStreamSealsItsThinking_onTheItemsDoneEvent() throws Exception {
        List<JsonNode> events = streamed(
                parse(SEALED),
                new ChatEvent.MessageStart(3),
                ChatEvent.ReasoningDelta.text(0, "thi"),
                ChatEvent.ReasoningDelta.text(0, "nk"),
                ChatEvent.ReasoningDelta.signature(0, "c2ln"),
                new ChatEvent.BlockStop(0),
                ChatEvent.ReasoningDelta.redacted(1, "AAEC"),
                new ChatEvent.BlockStop(1),
                new ChatEvent.TextDelta(2, "Hi"),
                new ChatEvent.MessageStop(StopReason.END_TURN),
                new ChatEvent.Metadata(new Usage(3, 7)));

        List<JsonNode> done = events.stream()
                .filter(e -> e.path("type").asText().equals("response.output_item.done"))
                .map(e -> e.path("item"))
                .toList();
        assertThat(done).extracting(i -> i.path("type").asText()).containsExactly("reasoning", "reasoning", "message");
        assertThat(done.get(0).at("/content/0/text").asText()).isEqualTo("think");
        assertThat(done.get(0).path("encrypted_content").asText()).isEqualTo("signature:c2ln");
        assertThat(done.get(1).path("content")).isEmpty();
        assertThat(done.get(1).path("encrypted_content").asText()).isEqualTo("redacted:AAEC");
        JsonNode completed = events.get(events.size() - 1).path("response");
        assertThat(completed.path("output").get(0)).isEqualTo(done.get(0));
        assertThat(events)
                .filteredOn(e -> e.path("output_index").asInt(-1) == 1)
                .extracting(e -> e.path("type").asText())
                .containsExactly("response.output_item.added", "response.output_item.done");
    }

    @Test
    void reasoningItemsSentBackSealed_areTheThinkingAgain_inTheirAssistantTurn() {
        ChatRequest r = parse("""
                {"model": "m", "input": [
                  {"role": "user", "content": "weather?"},
                  {"type": "reasoning", "id": "rs_1", "summary": [],
                   "content": [{"type": "reasoning_text", "text": "think"}], "encrypted_content": "signature:c2ln"},
                  {"type": "reasoning", "id": "rs_2", "summary": [], "encrypted_content": "redacted:AAEC"},
                  {"type": "reasoning", "id": "rs_3", "summary": [],
                   "content": [{"type": "reasoning_text", "text": "unsigned"}], "encrypted_content": null},
                  {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"},
                  {"type": "function_call_output", "call_id": "c1", "output": "sun"}]}""").request();

        assertThat(r.messages()).extracting(m -> m.role()).containsExactly(Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(r.messages().get(1).content())
                .containsExactly(
                        ContentBlock.Reasoning.text("think", "c2ln"),
                        ContentBlock.Reasoning.redacted("AAEC"),
                        new ContentBlock.ToolUse("c1", "f", "{}"));
    }

    @Test
    void sealedThinkingNotMadeHere_orSignedWithoutItsText_isRefusedNamingTheItem() {
        assertThat(refused("""
                        {"model": "m", "input": [{"role": "user", "content": "q"},
                          {"type": "reasoning", "summary": [], "encrypted_content": "gAAAAABo-openai"}]}""").getMessage())
                .isEqualTo("input[1].encrypted_content: not thinking this gateway returned; send it back unchanged.");
        assertThat(refused("""
                        {"model": "m", "input": [{"role": "user", "content": "q"},
                          {"type": "reasoning", "summary": [], "encrypted_content": "signature:c2ln"}]}""").parameter()).isEqualTo("input[1].content");
        assertThat(refused("""
                        {"model": "m", "input": [{"role": "user", "content": "q"},
                          {"type": "reasoning", "summary": [], "encrypted_content": "redacted:not base64!"}]}""").parameter()).isEqualTo("input[1].encrypted_content");
        assertThat(refused("""
                        {"model": "m", "input": [{"role": "user", "content": "q"},
                          {"type": "reasoning", "summary": [], "encrypted_content": 7}]}""").parameter()).isEqualTo("input[1].encrypted_content");
    }

    @Test
    void aSummaryAskedFor_isTheThinkingAsItCame_wholeAndStreamed_andTakesItsPlaceWhenSentBack() throws Exception {
        String asked =
                "{\"model\": \"m\", \"input\": \"x\", \"reasoning\": {\"effort\": \"high\", \"summary\": \"auto\"},"
                        + " \"include\": [\"reasoning.encrypted_content\"]}";
        var answer = new dev.meridian.core.chat.ChatResponse(
                new dev.meridian.core.chat.Message(
                        Role.ASSISTANT,
                        List.of(ContentBlock.Reasoning.text("hmm", "c2ln"), new ContentBlock.Text("Done."))),
                StopReason.END_TURN,
                new Usage(2, 4));
        JsonNode whole = ResponsesCodec.render(parse(asked), answer, "resp_abc", 5L);
        List<JsonNode> events = streamed(
                parse(asked),
                new ChatEvent.MessageStart(3),
                ChatEvent.ReasoningDelta.text(0, "hm"),
                ChatEvent.ReasoningDelta.text(0, "m"),
                ChatEvent.ReasoningDelta.signature(0, "c2ln"),
                new ChatEvent.TextDelta(1, "Done."),
                new ChatEvent.MessageStop(StopReason.END_TURN),
                new ChatEvent.Metadata(new Usage(2, 4)));
        JsonNode streamed = events.get(events.size() - 1).path("response");

        assertThat(whole.at("/reasoning/summary").asText()).isEqualTo("auto");
        assertThat(whole.at("/output/0/summary/0/type").asText()).isEqualTo("summary_text");
        assertThat(whole.at("/output/0/summary/0/text").asText()).isEqualTo("hmm");
        assertThat(streamed.path("output").get(0))
                .isEqualTo(whole.path("output").get(0).deepCopy());
        assertThat(events)
                .extracting(e -> e.path("type").asText())
                .filteredOn(t -> t.contains("summary"))
                .containsExactly(
                        "response.reasoning_summary_part.added",
                        "response.reasoning_summary_text.delta",
                        "response.reasoning_summary_text.delta",
                        "response.reasoning_summary_text.done",
                        "response.reasoning_summary_part.done");
        ChatRequest back = parse("""
                {"model": "m", "input": [{"role": "user", "content": "q"},
                  {"type": "reasoning", "summary": [{"type": "summary_text", "text": "hmm"}],
                   "encrypted_content": "signature:c2ln"},
                  {"role": "assistant", "content": "Done."}, {"role": "user", "content": "and?"}]}""").request();
        assertThat(back.messages().get(1).content())
                .containsExactly(ContentBlock.Reasoning.text("hmm", "c2ln"), new ContentBlock.Text("Done."));
        assertThat(refused("{\"model\": \"m\", \"input\": \"x\", \"reasoning\": {\"summary\": \"long\"}}")
                        .parameter())
                .isEqualTo("reasoning.summary");
    }
}

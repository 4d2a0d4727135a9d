package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.http.Json;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad requests get Bedrock's error shape on the wire: status, x-amzn-ErrorType, x-amzn-RequestId, {"message"}. */
class BadInputIT {
    static final String CONVERSE = "/model/eu.amazon.nova-2-lite-v1:0/converse";
    static final String FOUNDATION_MODEL_ARN = "arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-2-lite-v1:0";
    static final String BEARER = "Bearer " + dev.meridian.server.auth.AuthSettings.DEMO_API_KEY;

    static MeridianServer server;
    static WebClient client;

    @BeforeAll
    static void start() {
        server = TestGateways.start("server: {maxRequestBytes: 65536, requestBodyTimeout: 1s}\n");
        client = WebClient.of(server.endpoint());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static AggregatedHttpResponse post(String path, String body) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, path)
                .contentType(MediaType.JSON)
                .add("authorization", BEARER)
                .build();
        return client.execute(HttpRequest.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(body)))
                .aggregate()
                .join();
    }

    /** Creates an application profile copied from Nova 2 Lite in eu-central-1 through {@code via}; its ARN. */
    static String createProfile(WebClient via, String name) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/inference-profiles")
                .contentType(MediaType.JSON)
                .add("authorization", BEARER)
                .build();
        AggregatedHttpResponse created = via.execute(HttpRequest.of(
                        headers,
                        com.linecorp.armeria.common.HttpData.ofUtf8("{\"inferenceProfileName\": \"" + name
                                + "\", \"modelSource\": {\"copyFrom\": \"" + FOUNDATION_MODEL_ARN + "\"}}")))
                .aggregate()
                .join();
        assertThat(created.status().code()).as(created.contentUtf8()).isEqualTo(201);
        return created.contentUtf8().replaceAll(".*\"inferenceProfileArn\":\"([^\"]+)\".*", "$1");
    }

    /** Posts {@code body} to {@code path}; the answer is Bedrock's 400 ValidationException containing {@code message}. */
    static void assertRefused(String path, String body, String message) {
        AggregatedHttpResponse r = post(path, body);
        assertBedrockError(r, 400, "ValidationException");
        assertThat(r.contentUtf8()).contains(message);
    }

    static void assertBedrockError(AggregatedHttpResponse r, int status, String type) {
        assertThat(r.status().code()).isEqualTo(status);
        assertThat(r.headers().get("x-amzn-ErrorType")).isEqualTo(type);
        assertThat(r.headers().get("x-amzn-RequestId")).matches("[0-9a-f-]{36}");
        assertThat(r.contentUtf8())
                .startsWith("{\"message\":\"")
                .doesNotContain("Exception:")
                .doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json               | {\"messages\": [",
                "array body             | []",
                "missing messages       | {}",
                "empty messages         | {\"messages\": []}",
                "bad role               | {\"messages\": [{\"role\": \"system\", \"content\": [{\"text\": \"hi\"}]}]}",
                "empty content          | {\"messages\": [{\"role\": \"user\", \"content\": []}]}",
                "starts with assistant  | {\"messages\": [{\"role\": \"assistant\", \"content\": [{\"text\": \"hi\"}]}]}",
                "maxTokens zero         | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"maxTokens\": 0}}",
                "temperature too high   | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"temperature\": 3}}",
                "unsupported block      | {\"messages\": [{\"role\": \"user\", \"content\": [{\"image\": {}}]}]}",
                "bad latency hint       | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"performanceConfig\": {\"latency\": \"fast\"}}",
                "unsupported field      | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"guardrailConfig\": {}}",
                "tool description type  | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"description\": 5, \"inputSchema\": {\"json\": {}}}}]}}",
                "toolConfig no tools    | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"toolConfig\": {}}",
                "toolUse without config | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}, {\"role\": \"assistant\", \"content\": [{\"toolUse\": {\"toolUseId\": \"t1\", \"name\": \"f\", \"input\": {}}}]}]}",
                "orphan toolResult      | {\"messages\": [{\"role\": \"user\", \"content\": [{\"toolResult\": {\"toolUseId\": \"t9\", \"content\": [{\"text\": \"x\"}]}}]}], \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"inputSchema\": {\"json\": {}}}}]}}",
            })
    void converse_badBody_isValidationException(String name, String body) {
        assertBedrockError(post(CONVERSE, body), 400, "ValidationException");
    }

    /** requestMetadata ends up in the invocation log, so Bedrock's rule for its keys and values is kept. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "key with a bracket | {\"team<1>\": \"risk\"} | Map keys must satisfy constraint",
                "empty key          | {\"\": \"risk\"}        | Map keys must satisfy constraint",
                "long value         | {\"team\": \"%s\"}      | Map value must satisfy constraint",
                "non-ASCII value    | {\"team\": \"r\u00efsk\"} | Map value must satisfy constraint",
                "no entries         | {}                      | requestMetadata must be an object of 1 to 16 string entries",
            })
    void converse_requestMetadataOutsideBedrocksRule_isRefused(String name, String metadata, String message) {
        assertRefused(
                CONVERSE,
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"requestMetadata\": "
                        + metadata.replace("%s", "x".repeat(257)) + "}",
                message);
        assertThat(post(
                                CONVERSE,
                                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}],"
                                        + " \"requestMetadata\": {\"cost-centre:eu/1\": \"a b@c=d+e,f.g#h$i\"}}")
                        .status()
                        .code())
                .isEqualTo(200);
    }

    /** CountTokens' body is its own union around a Converse or InvokeModel input; each malformation is named. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no input                  | {}                                                          | 'input' failed to satisfy constraint: Member must not be null",
                "input not an object       | {\"input\": []}                                             | input must be an object",
                "neither form              | {\"input\": {}}                                             | exactly one of 'converse' and 'invokeModel'",
                "both forms                | {\"input\": {\"converse\": {}, \"invokeModel\": {}}}          | exactly one of 'converse' and 'invokeModel'",
                "unknown top-level member  | {\"input\": {}, \"modelId\": \"x\"}                             | extraneous key [modelId]",
                "unknown input form        | {\"input\": {\"chat\": {}}}                                 | extraneous key [chat]",
                "converse without messages | {\"input\": {\"converse\": {}}}                             | messages",
                "converse with sampling    | {\"input\": {\"converse\": {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {}}}} | extraneous key [inferenceConfig]",
                "invokeModel without body  | {\"input\": {\"invokeModel\": {}}}                          | input.invokeModel.body is required",
                "invokeModel body not b64  | {\"input\": {\"invokeModel\": {\"body\": \"%%%\"}}}            | input.invokeModel.body: not base64",
                "invokeModel body not json | {\"input\": {\"invokeModel\": {\"body\": \"bm90IGpzb24=\"}}}   | Malformed input request",
            })
    void countTokens_badBody_isValidationExceptionNamingIt(String name, String body, String message) {
        assertRefused("/model/amazon.nova-2-lite-v1:0/count-tokens", body, message);
    }

    /**
     * Members Bedrock's model constrains that the gateway used to take as they came: a cache point is
     * {@code {"type": "default"}} with an optional ttl of 5m or 1h (in messages, system and tools), a tool's
     * description and a system text are not empty, and a tool-use id is 1 to 64 of {@code [a-zA-Z0-9_.:-]}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "cache ttl        | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}, {\"cachePoint\": {\"type\": \"default\", \"ttl\": \"2h\"}}]}]} | Value 2h at 'messages[0].content[1].cachePoint.ttl' failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]",
                "cache no type    | {\"system\": [{\"text\": \"x\"}, {\"cachePoint\": {}}], \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]} | at 'system[1].cachePoint.type' failed to satisfy constraint",
                "cache member     | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"inputSchema\": {\"json\": {}}}}, {\"cachePoint\": {\"type\": \"default\", \"tl\": \"5m\"}}]}} | #/toolConfig/tools/1/cachePoint: extraneous key [tl]",
                "empty tool text  | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"description\": \"\", \"inputSchema\": {\"json\": {}}}}]}} | toolConfig.tools[0].toolSpec.description: \\\"\\\" (expected: a non-empty string)",
                "empty system     | {\"system\": [{\"text\": \"\"}], \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]} | The text field in the SystemContentBlock object at system.0 is empty",
                "tool-use id      | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}, {\"role\": \"assistant\", \"content\": [{\"toolUse\": {\"toolUseId\": \"a b\", \"name\": \"f\", \"input\": {}}}]}], \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"inputSchema\": {\"json\": {}}}}]}} | toolUseId: \\\"a b\\\" (expected: 1 to 64 of [a-zA-Z0-9_.:-])",
            })
    void converse_memberOutsideBedrocksModel_isRefused(String name, String body, String message) {
        assertRefused(CONVERSE, body, message);
    }

    /** ... and what the model allows is taken: cache points with a ttl everywhere, a tool-use id with '.' and ':'. */
    @Test
    void converse_cachePointsWithTtlAndADottedToolUseId_areTaken() {
        String body = "{\"system\": [{\"text\": \"x\"}, {\"cachePoint\": {\"type\": \"default\", \"ttl\": \"1h\"}}],"
                + " \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"weather?\"},"
                + " {\"cachePoint\": {\"type\": \"default\", \"ttl\": \"5m\"}}]},"
                + " {\"role\": \"assistant\", \"content\": [{\"toolUse\": {\"toolUseId\": \"functions.f:0\","
                + " \"name\": \"f\", \"input\": {}}}]}, {\"role\": \"user\", \"content\": [{\"toolResult\":"
                + " {\"toolUseId\": \"functions.f:0\", \"content\": [{\"text\": \"18 C\"}]}}]}],"
                + " \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"description\": \"d\","
                + " \"inputSchema\": {\"json\": {}}}}, {\"cachePoint\": {\"type\": \"default\"}}]}}";
        assertThat(post(CONVERSE, body).status().code()).isEqualTo(200);
    }

    /** Bedrock refuses a blank text block with this message (its path dotted, not bracketed). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty         | \"\"      | messages.0.content.1",
                "whitespace    | \" \\n\" | messages.0.content.1",
            })
    void converse_blankTextBlock_isValidationException(String name, String text, String where) {
        String body =
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}, {\"text\": " + text + "}]}]}";
        AggregatedHttpResponse r = post(CONVERSE, body);
        assertBedrockError(r, 400, "ValidationException");
        assertThat(r.contentUtf8())
                .isEqualTo("{\"message\":\"The text field in the ContentBlock object at " + where
                        + " is blank. Add text to the text field, and try again.\"}");
    }

    @Test
    void converse_latencyHint_isAcceptedAndServedAsStandard() {
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}],"
                + " \"performanceConfig\": {\"latency\": \"optimized\"}}";
        assertThat(post(CONVERSE, body).status().code()).isEqualTo(200);
    }

    @Test
    void converse_deeplyNestedJson_isValidationException() {
        String body = "{\"messages\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertBedrockError(post(CONVERSE, body), 400, "ValidationException");
    }

    @Test
    void converse_bodyOverLimit_isRefusedCleanly() {
        String body =
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"" + "x".repeat(70_000) + "\"}]}]}";
        assertBedrockError(post(CONVERSE, body), 413, "ValidationException");
    }

    @Test
    void chatCompletions_bodyOverLimit_isAnOpenAiError() {
        String body = "{\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"messages\": [{\"role\": \"user\", \"content\": \""
                + "x".repeat(70_000) + "\"}]}";
        AggregatedHttpResponse r = post("/v1/chat/completions", body);
        assertThat(r.status().code()).isEqualTo(413);
        assertThat(r.headers().get("x-amzn-ErrorType")).isNull();
        assertThat(r.contentUtf8())
                .startsWith("{\"error\":{\"message\":\"The request body is larger")
                .contains("\"type\":\"invalid_request_error\"");
    }

    /** A field of the wrong type is refused in OpenAI's words, never coerced (Jackson read "hot" as 0). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"temperature\": \"hot\"   | Invalid type for 'temperature': expected a decimal, but got a string instead.",
                "\"stream\": \"yes\"        | Invalid type for 'stream': expected a boolean, but got a string instead.",
                "\"max_tokens\": 1.5        | Invalid type for 'max_tokens': expected an integer, but got a decimal instead.",
                "\"max_tokens\": 99999999999 | Invalid 'max_tokens': integer above maximum value. Expected a value <= 2147483647, but got 99999999999 instead.",
                "\"n\": \"2\"               | Invalid type for 'n': expected an integer, but got a string instead.",
                "\"n\": 0                 | Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead.",
                "\"n\": 129               | Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.",
                "\"top_p\": 1.5             | Invalid 'top_p': decimal above maximum value. Expected a value <= 1, but got 1.5 instead.",
                "\"top_p\": -0.1            | Invalid 'top_p': decimal below minimum value. Expected a value >= 0, but got -0.1 instead.",
                "\"temperature\": 2.5       | Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
                "\"max_tokens\": 0          | Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.",
                "\"max_completion_tokens\": -5 | Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1, but got -5 instead.",
                "\"stop\": [1]              | Invalid type for 'stop[0]': expected a string, but got an integer instead.",
                "\"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"] | Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 5 instead.",
                "\"stream_options\": 5      | Invalid type for 'stream_options': expected an object, but got an integer instead.",
                "\"model\": 5               | Invalid type for 'model': expected a string, but got an integer instead.",
                "\"seed\": \"x\"              | Invalid type for 'seed': expected an integer, but got a string instead.",
                "\"user\": 5                | Invalid type for 'user': expected a string, but got an integer instead.",
                "\"web_search_options\": {} | The parameter 'web_search_options' is not supported by this gateway.",
                "\"modalities\": [\"text\", \"audio\"] | The parameter 'modalities' is not supported by this gateway.",
                "\"logit_bias\": {\"You\": 6}  | Invalid key in 'logit_bias': You. You should only be submitting non-negative integers.",
                "\"logit_bias\": {\"-1\": 6}   | Invalid key in 'logit_bias': -1. You should only be submitting non-negative integers.",
                "\"logit_bias\": {\"50256\": -101} | Invalid 'logit_bias.50256': decimal below minimum value. Expected a value >= -100, but got -101 instead.",
                "\"logit_bias\": {\"50256\": \"x\"} | Invalid type for 'logit_bias.50256': expected a decimal, but got a string instead.",
                "\"logit_bias\": [1]       | Invalid type for 'logit_bias': expected an object, but got an array instead.",
                "\"logprobs\": 1            | Invalid type for 'logprobs': expected a boolean, but got an integer instead.",
                "\"top_logprobs\": 21, \"logprobs\": true | Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20, but got 21 instead.",
                "\"top_logprobs\": -1, \"logprobs\": true | Invalid 'top_logprobs': integer below minimum value. Expected a value >= 0, but got -1 instead.",
                "\"top_logprobs\": 3        | top_logprobs: 'logprobs' must be set to true when 'top_logprobs' is given.",
                "\"tool_choice\": \"required\" | Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
                "\"tool_choice\": \"none\"  | Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
                "\"parallel_tool_calls\": false | Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.",
                "\"parallel_tool_calls\": 1 | Invalid type for 'parallel_tool_calls': expected a boolean, but got an integer instead.",
                "\"metadata\": {\"a\": 1}   | Invalid type for 'metadata.a': expected a string, but got an integer instead.",
                "\"metadata\": {\"a\": \"%s\"} | Invalid 'metadata.a': string too long. Expected a string with maximum length 512, but got a string with length 513 instead.",
                "\"frequency_penalty\": 2.5 | Invalid 'frequency_penalty': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.",
                "\"presence_penalty\": -3  | Invalid 'presence_penalty': decimal below minimum value. Expected a value >= -2, but got -3 instead.",
                "\"presence_penalty\": \"x\" | Invalid type for 'presence_penalty': expected a decimal, but got a string instead.",
                "\"seed\": 1.5              | Invalid type for 'seed': expected an integer, but got a decimal instead.",
                "\"seed\": 99999999999999999999 | Invalid 'seed': integer above maximum value. Expected a value <= 9223372036854775807, but got 99999999999999999999 instead.",
            })
    void chatCompletions_fieldOfTheWrongType_isRefused(String field, String message) throws Exception {
        String model = field.startsWith("\"model\"") ? "" : "\"model\": \"eu.amazon.nova-2-lite-v1:0\", ";
        String body = "{" + model + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                + field.replace("%s", "x".repeat(513)) + "}";
        AggregatedHttpResponse r = post("/v1/chat/completions", body);
        assertThat(r.status().code()).isEqualTo(400);
        com.fasterxml.jackson.databind.JsonNode error =
                Json.MAPPER.readTree(r.contentUtf8()).path("error");
        assertThat(error.path("message").asText()).isEqualTo(message);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        String param = field.substring(1, field.indexOf('"', 1)); // the field name, as OpenAI's param names it
        assertThat(error.path("param").asText()).startsWith(param); // stop[0] for an element of stop
    }

    /** Inside messages and tools, too: each member of the wrong type or missing is named as OpenAI names it. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": 5}]}] | Invalid type for 'messages[0].content[0].text': expected a string, but got an integer instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": \"data:x\"}]}] | Invalid type for 'messages[0].content[0].image_url': expected an object, but got a string instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"tool_calls\": {}}] | Invalid type for 'messages[1].tool_calls': expected an array, but got an object instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"tool_calls\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}] | Missing required parameter: 'messages[1].tool_calls[0].id'.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": {\"type\": \"function\"} | Invalid type for 'tools': expected an array, but got an object instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": \"{}\"}}] | Invalid type for 'tools[0].function.parameters': expected an object, but got a string instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"tool\", \"content\": \"42\"}] | Missing required parameter: 'messages[1].tool_call_id'.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"42\"}] | Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}, {\"role\": \"tool\", \"tool_call_id\": \"c2\", \"content\": \"42\"}] | Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}, {\"id\": \"c2\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}, {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"42\"}, {\"role\": \"user\", \"content\": \"and?\"}] | An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: c2",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}]}] | An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: c1",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [] | Invalid 'tools': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [TOOLS_129] | Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 129 instead.",
                "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"x\", \"tool_calls\": []}] | Invalid 'messages[1].tool_calls': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "\"messages\": [] | Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "\"messages\": null | Missing required parameter: 'messages'.",
                "\"messages\": \"hi\" | Invalid type for 'messages': expected an array, but got a string instead.",
            })
    void chatCompletions_nestedMemberOfTheWrongType_isRefused(String members, String message) throws Exception {
        String tool = "{\"type\": \"function\", \"function\": {\"name\": \"f\"}}";
        String body = "{\"model\": \"eu.amazon.nova-2-lite-v1:0\", "
                + members.replace("TOOLS_129", String.join(", ", Collections.nCopies(129, tool))) + "}";
        AggregatedHttpResponse r = post("/v1/chat/completions", body);
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(Json.MAPPER
                        .readTree(r.contentUtf8())
                        .path("error")
                        .path("message")
                        .asText())
                .isEqualTo(message);
    }

    @Test
    void chatCompletions_wrongMethod_isAnOpenAiError() {
        AggregatedHttpResponse r = client.execute(RequestHeaders.builder(HttpMethod.DELETE, "/v1/chat/completions")
                        .add("authorization", BEARER)
                        .build())
                .aggregate()
                .join();
        assertThat(r.status().code()).isEqualTo(404);
        assertThat(r.contentUtf8())
                .isEqualTo("{\"error\":{\"message\":\"Invalid URL (DELETE /v1/chat/completions)\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    }

    @Test
    void converse_unknownModel_isResourceNotFound() {
        assertBedrockError(
                post(
                        "/model/amazon.nope-v1:0/converse",
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]}"),
                404,
                "ResourceNotFoundException");
    }

    @Test
    void converse_malformedModelId_isValidationException() {
        assertBedrockError(post("/model/%C3%28/converse", "{}"), 400, "ValidationException");
    }

    @Test
    void unknownOperation_isUnknownOperationException() {
        assertBedrockError(post("/model/eu.amazon.nova-2-lite-v1:0/explode", "{}"), 404, "UnknownOperationException");
        assertBedrockError(post("/no/such/path", "{}"), 404, "UnknownOperationException");
    }

    /** A runtime path without a model id once failed in the audit decorator (500) before reaching the service. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/model/converse", "/model//converse", "/model/converse?x=1", "/model/", "/model/x/"})
    void runtimePathWithoutModelId_isUnknownOperationException(String path) {
        assertBedrockError(post(path, "{}"), 404, "UnknownOperationException");
    }

    /** A body that stalls is answered 408 after server.requestBodyTimeout, in the surface's format, not held. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "/model/eu.amazon.nova-2-lite-v1:0/converse, x-amzn-errortype: RequestTimeoutException",
        "/v1/chat/completions, \"code\":\"request_timeout\""
    })
    void stalledBody_isRequestTimeout(String path, String marker) throws Exception {
        try (java.net.Socket socket = new java.net.Socket()) {
            java.net.URI endpoint = java.net.URI.create(server.endpoint());
            socket.connect(new java.net.InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            socket.getOutputStream()
                    .write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + BEARER
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"messages\"")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = readAnswer(socket.getInputStream());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase(marker);
            assertThat(answer).contains("The request body was not received within 1 s.");
            assertThat(millis).isBetween(900L, 8_000L);
        }
        assertThat(post(CONVERSE, "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]}")
                        .status()
                        .code())
                .isEqualTo(200);
    }

    /**
     * A client that stalls inside its request headers (no request has begun, so no body deadline applies) is closed
     * after server.idleTimeout, whether it goes quiet or dribbles a byte at a time.
     */
    @ParameterizedTest(name = "dribbling every {0} ms")
    @ValueSource(ints = {0, 200})
    void stalledHeaders_areClosedAfterTheIdleTimeout(int dribbleMillis) throws Exception {
        try (MeridianServer idle = TestGateways.start("server: {idleTimeout: 1s}\n");
                java.net.Socket socket = new java.net.Socket()) {
            java.net.URI endpoint = java.net.URI.create(idle.endpoint());
            socket.connect(new java.net.InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST " + CONVERSE + " HTTP/1.1\r\nHost: x\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            int read;
            if (dribbleMillis == 0) {
                read = socket.getInputStream().read();
            } else {
                read = -2;
                try {
                    for (int i = 0; i < 40; i++) { // 8 s of "X-Slow: aaaa..." one byte at a time
                        Thread.sleep(dribbleMillis);
                        out.write(i == 0 ? 'X' : 'a');
                        out.flush();
                    }
                } catch (java.net.SocketException closed) {
                    read = -1; // the gateway closed the connection under the writer
                }
                if (read == -2) {
                    read = socket.getInputStream().read();
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(read).as("connection closed, nothing answered").isEqualTo(-1);
            assertThat(millis).isBetween(900L, 6_000L);
        }
    }

    /** Reads an HTTP/1.1 answer with a Content-Length body (the connection may stay open after it). */
    private static String readAnswer(java.io.InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        java.util.regex.Pattern contentLength = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)");
        while (true) {
            String sofar = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            int end = sofar.indexOf("\r\n\r\n");
            java.util.regex.Matcher length = contentLength.matcher(sofar);
            if (end >= 0 && length.find() && sofar.length() - end - 4 >= Integer.parseInt(length.group(1))) {
                return sofar;
            }
            int n = in.read(chunk);
            if (n < 0) {
                return sofar;
            }
            out.write(chunk, 0, n);
        }
    }

    /** Control-plane members of the wrong type are refused, not read as text ({@code 5} became the name "5"). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "name a number     | \"inferenceProfileName\": 5                      | inferenceProfileName must be a string.",
                "description       | \"inferenceProfileName\": \"n1\", \"description\": 5  | description must be a string.",
                "token             | \"inferenceProfileName\": \"n2\", \"clientRequestToken\": 5 | clientRequestToken must be a string.",
                "tags not a list   | \"inferenceProfileName\": \"n3\", \"tags\": {\"a\": \"b\"} | tags must be a list.",
            })
    void createInferenceProfile_memberOfTheWrongType_isValidationException(
            String name, String members, String message) {
        assertRefused(
                "/inference-profiles",
                "{" + members + ", \"modelSource\": {\"copyFrom\": \"" + FOUNDATION_MODEL_ARN + "\"}}",
                message);
    }

    @Test
    void tagging_membersOfTheWrongType_areValidationExceptions() {
        String arn = createProfile(client, "tagged");

        AggregatedHttpResponse tags = post("/tagResource", "{\"resourceARN\": \"" + arn + "\", \"tags\": \"k\"}");
        assertBedrockError(tags, 400, "ValidationException");
        assertThat(tags.contentUtf8()).contains("tags must be a list.");
        AggregatedHttpResponse keys = post("/untagResource", "{\"resourceARN\": \"" + arn + "\", \"tagKeys\": [1]}");
        assertBedrockError(keys, 400, "ValidationException");
        assertThat(keys.contentUtf8()).contains("tagKeys must be a list of strings.");
        assertBedrockError(post("/tagResource", "{\"resourceARN\": 5, \"tags\": []}"), 400, "ValidationException");
        assertThat(post(
                                "/tagResource",
                                "{\"resourceARN\": \"" + arn + "\", \"tags\": [{\"key\": \"k\", \"value\": \"v\"}]}")
                        .status()
                        .code())
                .isEqualTo(200);
    }

    /** A tag key given twice is refused (it kept one value silently), and so is AWS's reserved {@code aws:} prefix. */
    @Test
    void tagging_repeatedAndReservedKeys_areValidationExceptions() {
        String twice = "[{\"key\": \"team\", \"value\": \"a\"}, {\"key\": \"team\", \"value\": \"b\"}]";
        String reserved = "[{\"key\": \"AWS:owner\", \"value\": \"me\"}]";
        for (String tags : new String[] {twice, reserved}) {
            AggregatedHttpResponse created = post(
                    "/inference-profiles",
                    "{\"inferenceProfileName\": \"keys\", \"tags\": " + tags + ", \"modelSource\": {\"copyFrom\": \""
                            + FOUNDATION_MODEL_ARN + "\"}}");
            assertBedrockError(created, 400, "ValidationException");
            assertThat(created.contentUtf8()).containsAnyOf("'team' is given more than once", "'aws:' prefix");
        }
        String arn = createProfile(client, "keys");
        for (String tags : new String[] {twice, reserved}) {
            AggregatedHttpResponse tagged =
                    post("/tagResource", "{\"resourceARN\": \"" + arn + "\", \"tags\": " + tags + "}");
            assertBedrockError(tagged, 400, "ValidationException");
        }
    }

    /** LookupEvents members of the wrong JSON type: the awsJson protocol's SerializationException or the field's own. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"LookupAttributes\": [{\"AttributeKey\": \"EventName\", \"AttributeValue\": 5}]} | SerializationException",
                "{\"LookupAttributes\": [{\"AttributeKey\": 5, \"AttributeValue\": \"x\"}]}        | SerializationException",
                "{\"LookupAttributes\": \"x\"}                                                      | InvalidLookupAttributesException",
                "{\"MaxResults\": 5.5}                                                             | InvalidMaxResultsException",
                "{\"EventCategory\": 5}                                                            | InvalidEventCategoryException",
            })
    void lookupEvents_memberOfTheWrongType_isRefused(String body, String type) {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/")
                .contentType(MediaType.parse("application/x-amz-json-1.1"))
                .add("x-amz-target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")
                .add("authorization", BEARER)
                .build();
        AggregatedHttpResponse r = client.execute(
                        HttpRequest.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(body)))
                .aggregate()
                .join();
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(r.contentUtf8()).contains("\"__type\":\"" + type + "\"");
    }

    /** Native bodies are read typed too: a wrong type is refused, never read as text or truncated. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "anthropic | \"system\": 5                                  | system must be a string or a list of text blocks.",
                "anthropic | \"stop_sequences\": \"x\"                      | stop_sequences must be a list.",
                "anthropic | \"top_k\": 1.5                                 | top_k must be an integer.",
                "anthropic | \"top_k\": \"x\"                               | top_k must be an integer.",
                "anthropic | \"tools\": {}                                  | tools must be a list.",
                "nova      | \"inferenceConfig\": {\"top_k\": 1.5}            | inferenceConfig.top_k: 1.5",
            })
    void invokeModel_nativeMemberOfTheWrongType_isValidationException(String format, String member, String message) {
        boolean anthropic = format.equals("anthropic");
        String body = anthropic
                ? "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"hi\"}], " + member + "}"
                : "{\"schemaVersion\": \"messages-v1\", \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], "
                        + member + "}";
        String model = anthropic ? "eu.anthropic.claude-haiku-4-5-20251001-v1:0" : "eu.amazon.nova-2-lite-v1:0";
        assertRefused("/model/" + model + "/invoke", body, message);
    }

    /** What the Messages API itself refuses: blank text, and a tool_choice without tools. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty string content | \"messages\": [{\"role\": \"user\", \"content\": \"\"}]                                  | text content blocks must contain non-whitespace text",
                "blank text block     | \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \" \"}]}] | text content blocks must contain non-whitespace text",
                "tool_choice no tools | \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tool_choice\": {\"type\": \"any\"} | tool_choice may only be specified while providing tools.",
                "tool_choice unknown  | \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"name\": \"f\", \"input_schema\": {}}], \"tool_choice\": {\"type\": \"never\"} | tool_choice.type: expected auto, any, tool or none.",
            })
    void invokeModel_anthropicRefusesWhatTheMessagesApiRefuses(String name, String members, String message) {
        String body = "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 10, " + members + "}";
        assertRefused("/model/eu.anthropic.claude-haiku-4-5-20251001-v1:0/invoke", body, message);
    }

    @Test
    void invokeModel_anthropicTextBlockNotAString_isValidationException() {
        String body =
                "{\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 10, \"messages\": [{\"role\": \"user\","
                        + " \"content\": [{\"type\": \"text\", \"text\": 5}]}]}";
        assertRefused(
                "/model/eu.anthropic.claude-haiku-4-5-20251001-v1:0/invoke",
                body,
                "messages[0].content[0].text must be a string.");
    }

    /**
     * A body that is not exactly one JSON value, or names a member twice, is refused on every surface: a lenient
     * reader served the first of two objects and the last of two {@code "messages"}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "converse, a second value  | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]} {} | Unexpected content after the JSON value",
                "converse, trailing token  | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]} xx | Unrecognized token 'xx'",
                "converse, member twice    | " + CONVERSE
                        + " | {\"messages\": [], \"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]} | Duplicate field 'messages'",
                "nested member twice       | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"maxTokens\": 5, \"maxTokens\": 9}} | Duplicate field 'maxTokens'",
                "invoke, member twice      | /model/eu.amazon.nova-2-lite-v1:0/invoke | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"messages\": []} | Duplicate field 'messages'",
                "create profile, trailing  | /inference-profiles | {\"inferenceProfileName\": \"p\", \"modelSource\": {\"copyFrom\": \""
                        + FOUNDATION_MODEL_ARN + "\"}}] | Unexpected close marker ']'",
                "chat, a second value      | /v1/chat/completions | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} {} | We could not parse the JSON body of your request.",
                "chat, member twice        | /v1/chat/completions | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"model\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | We could not parse the JSON body of your request.",
                "responses, a second value | /v1/responses | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"input\": \"hi\"} {} | We could not parse the JSON body of your request.",
                "responses, member twice   | /v1/responses | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"input\": \"hi\", \"input\": \"x\"} | We could not parse the JSON body of your request.",
                "responses, arguments twice | /v1/responses | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"input\": [{\"type\": \"function_call\", \"call_id\": \"c1\", \"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1, \\\"a\\\": 2}\"}, {\"type\": \"function_call_output\", \"call_id\": \"c1\", \"output\": \"x\"}]} | input[0].arguments: must be a JSON object, as a string.",
                "chat, arguments twice     | /v1/chat/completions | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1, \\\"a\\\": 2}\"}}]}, {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"x\"}], \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {}}}]} | messages[1].tool_calls: arguments are not valid JSON.",
            })
    void ambiguousJson_isRefused(String name, String path, String body, String message) {
        AggregatedHttpResponse r = post(path, body);
        assertThat(r.status().code()).isEqualTo(400);
        if (path.startsWith("/v1/")) {
            assertThat(r.headers().get("x-amzn-ErrorType")).isNull();
            assertThat(r.contentUtf8()).startsWith("{\"error\":{\"message\":\"" + message);
        } else {
            assertBedrockError(r, 400, "ValidationException");
            assertThat(r.contentUtf8()).contains(message);
        }
    }

    /**
     * A member the body's schema does not define is refused in Bedrock's words, naming it: each of these was
     * ignored, so a misspelt limit (Nova's {@code max_tokens} for {@code max_new_tokens}) left the answer uncapped.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "converse, top level      | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"temprature\": 0.1} | #: extraneous key [temprature] is not permitted",
                "converse, inferenceConfig | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"maxToken\": 5}} | #/inferenceConfig: extraneous key [maxToken] is not permitted",
                "converse, message         | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}], \"name\": \"x\"}]} | #/messages/0: extraneous key [name] is not permitted",
                "converse, toolConfig      | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"toolConfig\": {\"tools\": [{\"toolSpec\": {\"name\": \"f\", \"inputSchema\": {\"json\": {}}}}], \"tool_choice\": {\"any\": {}}}} | #/toolConfig: extraneous key [tool_choice] is not permitted",
                "converse, serviceTier     | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"serviceTier\": {\"tier\": \"flex\"}} | #/serviceTier: extraneous key [tier] is not permitted",
                "nova native, misspelt     | /model/eu.amazon.nova-2-lite-v1:0/invoke | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"max_tokens\": 5}} | #/inferenceConfig: extraneous key [max_tokens] is not permitted",
                "anthropic native, unknown | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": true} | #: extraneous key [stream] is not permitted",
                "anthropic, message        | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\", \"name\": \"x\"}]} | #/messages/0: extraneous key [name] is not permitted",
                "anthropic, text block     | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\", \"txt\": \"x\"}]}]} | #/messages/0/content/0: extraneous key [txt] is not permitted",
                "anthropic, tool_result    | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t1\", \"name\": \"f\", \"input\": {}}]}, {\"role\": \"user\", \"content\": [{\"type\": \"tool_result\", \"tool_use_id\": \"t1\", \"content\": \"42\", \"is_eror\": true}]}]} | #/messages/2/content/0: extraneous key [is_eror] is not permitted",
                "anthropic, tool           | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"name\": \"f\", \"input_schema\": {}, \"input_shema\": {}}]} | #/tools/0: extraneous key [input_shema] is not permitted",
                "anthropic, tool_choice    | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"name\": \"f\", \"input_schema\": {}}], \"tool_choice\": {\"type\": \"any\", \"disable_parallel\": true}} | #/tool_choice: extraneous key [disable_parallel] is not permitted",
                "anthropic, system block   | /model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 5, \"system\": [{\"type\": \"text\", \"text\": \"x\", \"cache\": {}}], \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | #/system/0: extraneous key [cache] is not permitted",
            })
    void memberTheSchemaDoesNotDefine_isRefused(String name, String path, String body, String message) {
        assertRefused(
                path, body, "Malformed input request: " + message + ", please reformat your input and try again.");
    }

    /**
     * additionalModelRequestFields carries top-k and thinking and nothing else: anything else is refused naming it,
     * and thinking asked wrongly too.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"response_format\": {\"type\": \"json\"}}  | additionalModelRequestFields.response_format is not supported by this gateway yet",
                "{\"thinking\": {\"type\": \"enabled\"}}       | additionalModelRequestFields.thinking.budget_tokens is required when thinking is enabled.",
                "{\"thinking\": {\"type\": \"on\"}}            | on",
                "{\"thinking\": {\"type\": \"disabled\", \"budget_tokens\": 2048}} | additionalModelRequestFields.thinking.budget_tokens: only with type 'enabled'.",
                "{\"thinking\": {\"type\": \"enabled\", \"budget_tokens\": 2048, \"x\": 1}} | #/additionalModelRequestFields/thinking: extraneous key [x] is not permitted",
                "{\"thinking\": \"enabled\"}                   | additionalModelRequestFields.thinking must be an object.",
                "{\"reasoningConfig\": {\"type\": \"enabled\", \"maxReasoningEffort\": \"max\"}} | additionalModelRequestFields.reasoningConfig.maxReasoningEffort",
                "{\"reasoningConfig\": {\"maxReasoningEffort\": \"low\"}} | type",
                "{\"inferenceConfig\": {\"topK\": 5, \"x\": 1}} | additionalModelRequestFields.inferenceConfig is not supported by this gateway yet",
                "{\"top_k\": -1}                             | additionalModelRequestFields.top_k: -1 (expected: an integer >= 0).",
                "{\"inferenceConfig\": {\"topK\": 1.5}}      | additionalModelRequestFields.inferenceConfig.topK: 1.5 (expected: an integer >= 1).",
                "[1]                                          | additionalModelRequestFields must be an object.",
            })
    void converse_additionalFieldBeyondTopKAndThinking_isRefused(String fields, String message) {
        assertRefused(
                CONVERSE,
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}],"
                        + " \"additionalModelRequestFields\": " + fields + "}",
                message);
    }

    @Test
    void converse_topKInAdditionalFields_isAccepted() {
        AggregatedHttpResponse r = post(
                CONVERSE,
                "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}],"
                        + " \"additionalModelRequestFields\": {\"top_k\": 40}}");
        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    }

    /** OpenAI's own answer to a parameter it does not define; a misspelt max_token used to leave the answer uncapped. */
    @Test
    void chatCompletions_unrecognizedArgument_isRefusedAsOpenAiDoes() {
        AggregatedHttpResponse r = post(
                "/v1/chat/completions",
                "{\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"max_token\": 5,"
                        + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(r.contentUtf8())
                .isEqualTo("{\"error\":{\"message\":\"Unrecognized request argument supplied: max_token\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    }

    /** Members Bedrock's Anthropic body allows that clients such as Claude Code send; accepted, not used. */
    @Test
    void anthropicBetaMetadataAndCacheControl_areAccepted() {
        AggregatedHttpResponse r = post(
                "/model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke",
                "{\"anthropic_version\": \"bedrock-2023-05-31\", \"anthropic_beta\": [\"context-1m-2025-08-07\"],"
                        + " \"metadata\": {\"user_id\": \"u1\"}, \"max_tokens\": 5,"
                        + " \"system\": [{\"type\": \"text\", \"text\": \"x\", \"cache_control\": {\"type\": \"ephemeral\"}}],"
                        + " \"tools\": [{\"name\": \"f\", \"input_schema\": {}, \"cache_control\": {\"type\": \"ephemeral\"}}],"
                        + " \"tool_choice\": {\"type\": \"auto\", \"disable_parallel_tool_use\": true},"
                        + " \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\","
                        + " \"cache_control\": {\"type\": \"ephemeral\"}}]}]}");
        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    }

    @Test
    void lookupEvents_secondValue_isSerializationException() {
        RequestHeaders headers = RequestHeaders.builder(HttpMethod.POST, "/")
                .contentType(MediaType.parse("application/x-amz-json-1.1"))
                .add("x-amz-target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")
                .add("authorization", BEARER)
                .build();
        for (String body : new String[] {"{\"MaxResults\": 5} {}", "{\"MaxResults\": 5, \"MaxResults\": 50}"}) {
            AggregatedHttpResponse r = client.execute(
                            HttpRequest.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(body)))
                    .aggregate()
                    .join();
            assertThat(r.status().code()).as(body).isEqualTo(400);
            assertThat(r.contentUtf8()).as(body).contains("\"__type\":\"SerializationException\"");
        }
    }

    @Test
    void trailingWhitespace_isStillOneValue() {
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]} \r\n\t\n";
        assertThat(post(CONVERSE, body).status().code()).isEqualTo(200);
    }

    /** Every surface refuses an output limit above the model's (catalog {@code maxOutputTokens}) before routing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "converse         | " + CONVERSE
                        + " | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"maxTokens\": 65537}} | (65537) exceeds the limit of amazon.nova-2-lite-v1:0, 65536 output tokens",
                "converse-stream  | /model/eu.amazon.nova-2-lite-v1:0/converse-stream | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"maxTokens\": 65537}} | (65537) exceeds the limit",
                "invoke, nova     | /model/eu.amazon.nova-2-lite-v1:0/invoke | {\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}], \"inferenceConfig\": {\"max_new_tokens\": 70000}} | (70000) exceeds the limit",
                "invoke, claude   | /model/eu.anthropic.claude-haiku-4-5-20251001-v1:0/invoke | {\"anthropic_version\": \"bedrock-2023-05-31\", \"max_tokens\": 64001, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | (64001) exceeds the limit of anthropic.claude-haiku-4-5-20251001-v1:0, 64000 output tokens",
                "chat max_tokens  | /v1/chat/completions | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"max_tokens\": 65537, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | max_tokens",
                "responses max_output_tokens | /v1/responses | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"max_output_tokens\": 65537, \"input\": \"hi\"} | max_output_tokens",
                "responses streamed        | /v1/responses | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"max_output_tokens\": 65537, \"stream\": true, \"input\": \"hi\"} | max_output_tokens",
                "chat max_completion_tokens | /v1/chat/completions | {\"model\": \"eu.amazon.nova-2-lite-v1:0\", \"max_completion_tokens\": 65537, \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} | max_completion_tokens",
            })
    void maxTokensAboveTheModelsLimit_isRefused(String name, String path, String body, String detail) throws Exception {
        AggregatedHttpResponse r = post(path, body);
        if (path.startsWith("/v1/")) {
            assertThat(r.status().code()).isEqualTo(400);
            com.fasterxml.jackson.databind.JsonNode error =
                    Json.MAPPER.readTree(r.contentUtf8()).path("error");
            assertThat(error.path("param").asText()).isEqualTo(detail);
            assertThat(error.path("message").asText()).contains("at most 65536");
        } else {
            assertBedrockError(r, 400, "ValidationException");
            assertThat(r.contentUtf8()).contains(detail);
        }
    }

    @Test
    void serverKeepsServing_afterBadInput() {
        post(CONVERSE, "{\"messages\": [");
        AggregatedHttpResponse ok =
                post(CONVERSE, "{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hi\"}]}]}");
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(ok.headers().get("x-meridian-inference-region")).startsWith("eu-");
        assertThat(ok.headers().get("x-amzn-RequestId")).isNotBlank();
        assertThat(ok.headers().get("server"))
                .as("no server product or version disclosed")
                .isNull();
    }
}

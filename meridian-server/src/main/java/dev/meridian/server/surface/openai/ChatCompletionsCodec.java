package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Reasoning;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.ToolSpec;
import dev.meridian.core.error.GatewayException;
import dev.meridian.provider.openai.OpenAiWire;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates OpenAI chat completions ({@code POST /v1/chat/completions}) to and from the canonical model.
 * System and developer messages become system prompts, {@code tool} messages become tool results, assistant
 * {@code tool_calls} become tool uses. Parameters the canonical model cannot carry are refused, naming them.
 */
public final class ChatCompletionsCodec {
    /** OpenAI's limit on the tools of one request. */
    private static final int MAX_TOOLS = 128;

    /** OpenAI's limits on {@code metadata}. */
    private static final int MAX_METADATA_ENTRIES = 16;

    private static final int MAX_METADATA_KEY = 64;
    private static final int MAX_METADATA_VALUE = 512;

    /** A token id in {@code logit_bias}: a non-negative integer that fits an int. */
    private static final java.util.regex.Pattern TOKEN_ID = java.util.regex.Pattern.compile("0|[1-9][0-9]{0,8}");

    /** OpenAI's range for a {@code logit_bias} value: -100 bans a token, 100 all but forces it. */
    private static final int MAX_LOGIT_BIAS = 100;

    /** OpenAI's limit on {@code n}, the answers one request may ask for. */
    private static final int MAX_CHOICES = 128;

    /** OpenAI's limit on {@code top_logprobs}. */
    private static final int MAX_TOP_LOGPROBS = 20;

    private static final Set<String> REFUSED =
            Set.of("audio", "modalities", "prediction", "functions", "function_call", "web_search_options");

    /**
     * Every parameter of OpenAI's chat completions request, those in {@link #REFUSED} included. Anything else is
     * refused as OpenAI refuses it ("Unrecognized request argument supplied"): ignored, a misspelling such as {@code max_token} left the answer
     * uncapped, and a server-specific extension (vLLM's {@code top_k}) would silently do nothing here.
     */
    private static final Set<String> PARAMETERS = Json.members(
            REFUSED,
            "model",
            "messages",
            "frequency_penalty",
            "logit_bias",
            "logprobs",
            "max_completion_tokens",
            "max_tokens",
            "metadata",
            "n",
            "parallel_tool_calls",
            "presence_penalty",
            "prompt_cache_key",
            "prompt_cache_retention",
            "reasoning_effort",
            "response_format",
            "safety_identifier",
            "seed",
            "service_tier",
            "stop",
            "store",
            "stream",
            "stream_options",
            "temperature",
            "tool_choice",
            "tools",
            "top_logprobs",
            "top_p",
            "user",
            "verbosity");

    private ChatCompletionsCodec() {}

    /**
     * The parsed request: canonical form plus the OpenAI-only options the surface needs.
     *
     * @param maxTokensParameter the parameter that set the output limit as the caller wrote it:
     *     {@code max_completion_tokens} when given, else {@code max_tokens}
     */
    /**
     * A parsed request.
     *
     * @param choices how many answers it asks for (OpenAI's {@code n}, 1 when not set)
     */
    public record Parsed(
            String model,
            ChatRequest request,
            boolean stream,
            boolean includeUsage,
            String maxTokensParameter,
            int choices) {

        /** {@code e}, with the parameter the gateway names canonically renamed to the one this request used. */
        GatewayException inOwnTerms(GatewayException e) {
            return Gateway.MAX_TOKENS_PARAMETER.equals(e.parameter())
                    ? GatewayException.invalidParameter(maxTokensParameter, e.getMessage())
                    : e;
        }
    }

    public static Parsed parse(byte[] body) {
        return parse(read(body));
    }

    /** The body as JSON, strictly read; what is not JSON is refused in OpenAI's words. */
    public static JsonNode read(byte[] body) {
        try {
            return Json.readRequest(body);
        } catch (java.io.IOException e) {
            throw GatewayException.validation("We could not parse the JSON body of your request.");
        }
    }

    /** {@link #parse(byte[])} of a body already {@link #read}. */
    public static Parsed parse(JsonNode root) {
        return parse(root, OpenAiWire.Dialect.OPENAI_MAX_STOP_SEQUENCES);
    }

    /**
     * As above, taking up to {@code maxStopSequences} in {@code stop}: OpenAI's 4 on the gateway's surface, any
     * number where the simulator stands in for vLLM, which sets no limit.
     */
    public static Parsed parse(JsonNode root, int maxStopSequences) {
        String model = RequestFields.model(root, PARAMETERS, REFUSED, ChatCompletionsCodec::asksForNothing, "");
        typeUnusedMembers(root);
        Integer n = RequestFields.integer(root, "n", "n", 1, MAX_CHOICES);
        String responseFormat = responseFormat(root.path("response_format"));
        String maxName = maxTokensParameter(root);
        List<String> system = new ArrayList<>();
        List<Message> messages = ChatMessages.of(root, system);
        List<ToolSpec> tools = tools(root);
        ChatRequest request = new ChatRequest(
                system,
                messages,
                params(root, maxName, maxStopSequences),
                metadata(root),
                tools,
                choice(root.get("tool_choice"), tools).withSingleCall(!parallelToolCalls(root, tools)),
                responseFormat);
        boolean stream = RequestFields.bool(root, "stream", "stream", false);
        JsonNode streamOptions = RequestFields.object(root, "stream_options", "stream_options");
        boolean includeUsage = streamOptions != null
                && RequestFields.bool(streamOptions, "include_usage", "stream_options.include_usage", false);
        return new Parsed(model, request, stream, includeUsage, maxName, n == null ? 1 : n);
    }

    /** {@code text} (or none) is free text; {@code json_object} and {@code json_schema} are passed to the upstream. */
    private static String responseFormat(JsonNode format) {
        if (format.isMissingNode()
                || format.isNull()
                || "text".equals(format.path("type").asText())) {
            return null;
        }
        String type = format.path("type").asText();
        if (!type.equals("json_object") && !type.equals("json_schema")) {
            throw GatewayException.validation(
                    "response_format.type: '" + type + "' (expected: text, json_object or json_schema).");
        }
        return format.toString();
    }

    /**
     * Whether a refused parameter's value is its default, which clients send unasked: {@code modalities: ["text"]}.
     * (An empty {@code web_search_options} turns search on, so it is not one.)
     */
    private static boolean asksForNothing(String field, JsonNode v) {
        return switch (field) {
            case "modalities" ->
                v.isArray() && v.size() == 1 && "text".equals(v.get(0).textValue());
            default -> false;
        };
    }

    /**
     * Members with nothing to act on downstream, accepted as OpenAI-compatible servers accept them (SDKs and agent
     * frameworks send some by default) and then not used, but still typed as OpenAI types them: a wrong type is the
     * caller's bug whether or not the gateway uses the value.
     */
    private static void typeUnusedMembers(JsonNode root) {
        RequestFields.typeUnused(
                root,
                "user",
                "service_tier",
                "verbosity",
                "prompt_cache_key",
                "prompt_cache_retention",
                "safety_identifier");
    }

    /**
     * OpenAI's {@code metadata}: at most 16 string pairs (keys up to 64 characters, values up to 512), the caller's
     * labels for the request, which the model invocation log records as Bedrock records {@code requestMetadata}.
     */
    static Map<String, String> metadata(JsonNode root) {
        JsonNode metadata = RequestFields.object(root, "metadata", "metadata");
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw GatewayException.invalidParameter(
                    "metadata",
                    "Invalid 'metadata': too many properties. Expected an object with at most " + MAX_METADATA_ENTRIES
                            + " properties, but got an object with " + metadata.size() + " properties instead.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        metadata.properties().forEach(e -> {
            String path = "metadata." + e.getKey();
            if (!e.getValue().isTextual()) {
                throw RequestFields.invalidType(path, "a string", e.getValue());
            }
            if (e.getKey().length() > MAX_METADATA_KEY) {
                throw GatewayException.invalidParameter(
                        "metadata",
                        "Invalid 'metadata': key too long. Expected keys with maximum length " + MAX_METADATA_KEY
                                + ", but got a key with length " + e.getKey().length() + " instead.");
            }
            String value = e.getValue().textValue();
            if (value.length() > MAX_METADATA_VALUE) {
                throw GatewayException.invalidParameter(
                        path,
                        "Invalid '" + path + "': string too long. Expected a string with maximum length "
                                + MAX_METADATA_VALUE + ", but got a string with length " + value.length()
                                + " instead.");
            }
            out.put(e.getKey(), value);
        });
        return out;
    }

    /** {@code max_completion_tokens} (OpenAI's current name) when the request sets it, else {@code max_tokens}. */
    private static String maxTokensParameter(JsonNode root) {
        return root.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    }

    private static InferenceParams params(JsonNode root, String maxName, int maxStopSequences) {
        Integer max = RequestFields.integer(root, maxName, maxName, 1);
        if (!maxName.equals("max_tokens")) {
            RequestFields.integer(root, "max_tokens", "max_tokens", 1); // checked even when the other one wins
        }
        Double temperature = RequestFields.decimal(root, "temperature", "temperature", 0, 2);
        Double topP = RequestFields.decimal(root, "top_p", "top_p", 0, 1);
        List<String> stops = new ArrayList<>();
        JsonNode stop = root.get("stop");
        if (stop != null && stop.isTextual()) {
            stops.add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw RequestFields.invalidType("stop[" + i + "]", "a string", stop.get(i));
                }
                stops.add(stop.get(i).textValue());
            }
        } else if (stop != null && !stop.isNull()) {
            throw RequestFields.invalidType("stop", "a string or an array of strings", stop);
        }
        if (stops.size() > maxStopSequences) {
            throw RequestFields.tooLong("stop", maxStopSequences, stops.size());
        }
        return new InferenceParams(
                max,
                temperature,
                topP,
                stops,
                null,
                RequestFields.decimal(root, "frequency_penalty", "frequency_penalty", -2, 2),
                RequestFields.decimal(root, "presence_penalty", "presence_penalty", -2, 2),
                RequestFields.longInteger(root, "seed", "seed"),
                logprobs(root),
                logitBias(root),
                reasoning(root));
    }

    /** OpenAI's efforts, least first; {@code none} asks for no thinking. */
    private static final List<String> REASONING_EFFORTS = List.of("none", "minimal", "low", "medium", "high", "xhigh");

    /**
     * {@code reasoning_effort} as the canonical request to think: {@code low}, {@code medium}, {@code high} as they
     * are, {@code minimal} as low and {@code xhigh} as high (the efforts destinations take), {@code none} as not
     * asking; {@code null} when not set, and any other value refused in OpenAI's words.
     */
    private static Reasoning reasoning(JsonNode root) {
        return reasoning(RequestFields.string(root, "reasoning_effort", "reasoning_effort"), "reasoning_effort");
    }

    /**
     * An effort as above, given as {@code parameter}: {@code reasoning_effort}, or the Responses API's
     * {@code reasoning.effort}.
     */
    static Reasoning reasoning(String effort, String parameter) {
        if (effort == null || effort.equals("none")) {
            return null;
        }
        if (!REASONING_EFFORTS.contains(effort)) {
            throw GatewayException.invalidParameter(
                    parameter,
                    "Invalid value: '" + effort + "'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high',"
                            + " and 'xhigh'.");
        }
        return Reasoning.effort(
                switch (effort) {
                    case "minimal" -> "low";
                    case "xhigh" -> "high";
                    default -> effort;
                });
    }

    /**
     * {@code logit_bias}: token ids (the model's tokenizer's, written as non-negative integers) to a bias from -100
     * to 100, refused otherwise in OpenAI's words; empty when not set.
     */
    private static Map<Integer, Double> logitBias(JsonNode root) {
        JsonNode bias = RequestFields.object(root, "logit_bias", "logit_bias");
        if (bias == null || bias.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (var entry : bias.properties()) {
            String token = entry.getKey();
            if (!TOKEN_ID.matcher(token).matches()) {
                throw GatewayException.invalidParameter(
                        "logit_bias",
                        "Invalid key in 'logit_bias': " + token + ". You should only be submitting non-negative"
                                + " integers.");
            }
            String path = "logit_bias." + token;
            if (entry.getValue().isNull()) {
                throw RequestFields.invalidType(path, "a decimal", entry.getValue());
            }
            out.put(Integer.valueOf(token), RequestFields.decimal(bias, token, path, -MAX_LOGIT_BIAS, MAX_LOGIT_BIAS));
        }
        return out;
    }

    /**
     * The number of alternatives per token when {@code logprobs} is true ({@code top_logprobs}, 0 when not given),
     * else {@code null}; {@code top_logprobs} without {@code logprobs: true} is refused, as OpenAI refuses it.
     */
    private static Integer logprobs(JsonNode root) {
        boolean asked = RequestFields.bool(root, "logprobs", "logprobs", false);
        Integer top = RequestFields.integer(root, "top_logprobs", "top_logprobs", 0, MAX_TOP_LOGPROBS);
        if (top != null && !asked) {
            throw GatewayException.invalidParameter(
                    "top_logprobs", "top_logprobs: 'logprobs' must be set to true when 'top_logprobs' is given.");
        }
        return asked ? (top == null ? 0 : top) : null;
    }

    private static List<ToolSpec> tools(JsonNode root) {
        List<ToolSpec> out = new ArrayList<>();
        JsonNode list = RequestFields.nonEmptyArray(root, "tools", "tools", MAX_TOOLS);
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonNode t = list.get(i);
            JsonNode f = t.path("function");
            if (!"function".equals(t.path("type").asText()) || !f.path("name").isTextual()) {
                throw GatewayException.validation(
                        "tools: each tool must be {type: function, function: {name, parameters}}.");
            }
            String description = RequestFields.string(f, "description", "tools[" + i + "].function.description");
            JsonNode params = RequestFields.object(f, "parameters", "tools[" + i + "].function.parameters");
            out.add(new ToolSpec(
                    f.get("name").asText(),
                    description == null ? "" : description,
                    params != null ? params.toString() : "{\"type\":\"object\"}"));
        }
        return out;
    }

    /** {@code parallel_tool_calls} (true when not set); like {@code tool_choice}, OpenAI takes it with tools only. */
    private static boolean parallelToolCalls(JsonNode root, List<ToolSpec> tools) {
        boolean parallel = RequestFields.bool(root, "parallel_tool_calls", "parallel_tool_calls", true);
        if (tools.isEmpty() && root.hasNonNull("parallel_tool_calls")) {
            throw GatewayException.invalidParameter(
                    "parallel_tool_calls",
                    "Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are"
                            + " specified.");
        }
        return parallel;
    }

    private static ToolChoice choice(JsonNode node, List<ToolSpec> tools) {
        if (node == null || node.isNull() || "auto".equals(node.asText(null))) {
            return ToolChoice.AUTO;
        }
        if (tools.isEmpty()) { // OpenAI's words; a forced call with no tool to call could only fail downstream
            throw GatewayException.invalidParameter(
                    "tool_choice",
                    "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.");
        }
        if ("required".equals(node.asText(null))) {
            return new ToolChoice(ToolChoice.Mode.ANY, null);
        }
        if ("none".equals(node.asText(null))) {
            return new ToolChoice(ToolChoice.Mode.NONE, null);
        }
        if (node.isTextual()) {
            throw GatewayException.invalidParameter(
                    "tool_choice",
                    "Invalid value: '" + node.textValue() + "'. Supported values are: 'none', 'auto', and 'required'.");
        }
        String name = node.path("function").path("name").asText(null);
        if (name == null || tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw GatewayException.invalidParameter(
                    "tool_choice", "tool_choice names a function that is not in tools.");
        }
        return new ToolChoice(ToolChoice.Mode.TOOL, name);
    }

    public static ObjectNode render(ChatResponse response, String id, String model, long created) {
        return render(List.of(response), id, model, created);
    }

    /**
     * A chat completion of several answers to one request (OpenAI's {@code n}), choice {@code i} the {@code i}-th;
     * its usage counts the prompt once, as OpenAI's does, and every answer's output.
     */
    public static ObjectNode render(List<ChatResponse> responses, String id, String model, long created) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", model);
        ArrayNode choices = root.putArray("choices");
        int output = 0;
        for (int i = 0; i < responses.size(); i++) {
            choice(choices.addObject(), i, responses.get(i));
            output += responses.get(i).usage().outputTokens();
        }
        root.set(
                "usage",
                usage(new dev.meridian.core.chat.Usage(responses.get(0).usage().inputTokens(), output)));
        return root;
    }

    private static void choice(ObjectNode choice, int index, ChatResponse response) {
        choice.put("index", index);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (ContentBlock block : response.message().content()) {
            if (block instanceof ContentBlock.Text t) {
                text.append(t.text());
            } else if (block instanceof ContentBlock.Reasoning r && r.text() != null) {
                // DeepSeek's and vLLM's member for the thinking; OpenAI shows none, and its SDKs keep unknown members
                message.put("reasoning_content", r.text());
            } else if (block instanceof ContentBlock.ToolUse u) {
                if (calls == null) {
                    calls = message.putArray("tool_calls");
                }
                ObjectNode call = calls.addObject().put("id", u.id()).put("type", "function");
                call.putObject("function").put("name", u.name()).put("arguments", u.inputJson());
            }
        }
        message.put("content", text.toString());
        message.putNull("refusal");
        if (response.logprobs().isEmpty()) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", logprobs(response.logprobs()));
        }
        choice.put("finish_reason", finishReason(response.stopReason()));
    }

    /** A choice's {@code logprobs}: each token with its bytes and its alternatives, as OpenAI writes them. */
    static ObjectNode logprobs(List<TokenLogprob> tokens) {
        ObjectNode out = Json.object();
        ArrayNode content = out.putArray("content");
        for (TokenLogprob t : tokens) {
            ObjectNode token = logprob(content.addObject(), t.token(), t.logprob(), t.bytes());
            ArrayNode top = token.putArray("top_logprobs");
            t.top().forEach(a -> logprob(top.addObject(), a.token(), a.logprob(), a.bytes()));
        }
        out.putNull("refusal");
        return out;
    }

    private static ObjectNode logprob(ObjectNode node, String token, double logprob, List<Integer> bytes) {
        node.put("token", token).put("logprob", logprob);
        bytes.forEach(node.putArray("bytes")::add);
        return node;
    }

    static ObjectNode usage(dev.meridian.core.chat.Usage usage) {
        ObjectNode u = Json.object();
        u.put("prompt_tokens", usage.inputTokens());
        u.put("completion_tokens", usage.outputTokens());
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    static String finishReason(StopReason reason) {
        return switch (reason) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case CONTENT_FILTERED -> "content_filter";
        };
    }
}

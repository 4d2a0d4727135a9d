package dev.meridian.provider.bedrock;

import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.ToolChoice;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.error.Failures;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.ChatStream;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import dev.meridian.provider.RefusalReason;
import dev.meridian.provider.RefusedConnection;
import dev.meridian.provider.RoutingProvider;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensInput;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensRequest;
import software.amazon.awssdk.services.bedrockruntime.model.CountTokensResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Amazon Bedrock (or another Meridian gateway, which speaks the same API) as the upstream of one destination
 * region, through the AWS SDK for Java v2 async client signed for that region. The model invoked there is a
 * plain model id, so the upstream processes the request in its own region (an in-region call), keeping residency.
 */
public final class BedrockProvider implements Provider {
    private static final UpstreamException UNSUPPORTED_FORMAT = UpstreamException.beforeSending(
            FailureKind.UNSUPPORTED, "Bedrock's Converse takes a json_schema output format only");
    private static final UpstreamException NO_PENALTIES = UpstreamException.beforeSending(
            FailureKind.UNSUPPORTED, "Bedrock's Converse takes no frequency or presence penalty");
    private static final UpstreamException TEMPERATURE_ABOVE_ONE = UpstreamException.beforeSending(
            FailureKind.UNSUPPORTED, "Bedrock's Converse takes a temperature of at most 1");
    private static final UpstreamException NO_LOGPROBS = UpstreamException.beforeSending(
            FailureKind.UNSUPPORTED, "Bedrock's Converse reports no token log probabilities");
    private static final UpstreamException NO_LOGIT_BIAS =
            UpstreamException.beforeSending(FailureKind.UNSUPPORTED, "Bedrock's Converse takes no logit bias");
    private static final UpstreamException NOT_USER_FIRST = UpstreamException.beforeSending(
            FailureKind.UNSUPPORTED, "Bedrock's Converse takes a conversation that starts with a user message only");
    private static final UpstreamException NO_TOOL_CALLS_WITH_TOOL_HISTORY = UpstreamException.beforeSending(
            FailureKind.UNSUPPORTED,
            "Bedrock's Converse cannot forbid tool calls (tool choice none) in a conversation that holds tool use");

    private final BedrockRuntimeAsyncClient client;
    private final String modelId;

    /**
     * Calls {@code modelId} through {@code client} (which the caller configures and closes); with
     * {@link RoutingProvider#ANY_MODEL} (an upstream standing for every model of its region), each call invokes the
     * foundation model it was routed for.
     */
    public BedrockProvider(BedrockRuntimeAsyncClient client, String modelId) {
        this.client = Objects.requireNonNull(client, "client");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
    }

    private String modelFor(ProviderCall call) {
        return modelId.equals(RoutingProvider.ANY_MODEL) ? call.modelId() : modelId;
    }

    /**
     * The SDK request for {@code call}, or an {@code UpstreamException} for what Bedrock cannot carry. A seed has no
     * Converse counterpart and is left out: it asks for repeatability only as far as a destination can give it.
     */
    private ConverseRequest request(ProviderCall call) {
        if (!call.request().startsWithUser()) { // OpenAI's system-only or assistant-first conversations
            throw NOT_USER_FIRST;
        }
        if (call.request().params().penalized()) {
            throw NO_PENALTIES;
        }
        if (call.request().params().logprobs() != null) {
            throw NO_LOGPROBS;
        }
        if (!call.request().params().logitBias().isEmpty()) {
            throw NO_LOGIT_BIAS;
        }
        Double temperature = call.request().params().temperature();
        if (temperature != null && temperature > 1) { // OpenAI's go to 2; Bedrock would refuse it, failing the call
            throw TEMPERATURE_ABOVE_ONE;
        }
        OutputConfig output = null;
        if (call.request().responseFormat() != null) {
            output = BedrockModel.outputConfig(call.request().responseFormat());
            if (output == null) {
                throw UNSUPPORTED_FORMAT;
            }
        }
        String model = modelFor(call);
        BedrockModel.Parts p = BedrockModel.request(call.request(), model);
        return ConverseRequest.builder()
                .overrideConfiguration(traceHeaders(call))
                .modelId(model)
                .messages(p.messages())
                .system(p.system())
                .inferenceConfig(p.inference())
                .toolConfig(invocationTools(call.request(), p.tools()))
                .outputConfig(output)
                .additionalModelRequestFields(p.additionalFields())
                .build();
    }

    /**
     * The tools an invocation sends. Converse has no tool choice "none": without tool use in the conversation the
     * tools are left out, so the model can only answer in text; with it Bedrock requires them, and the model could
     * call one, so this destination cannot serve the request ({@code UNSUPPORTED}: the router tries another).
     */
    private static ToolConfiguration invocationTools(ChatRequest request, ToolConfiguration tools) {
        if (tools == null || request.toolChoice().mode() != ToolChoice.Mode.NONE) {
            return tools;
        }
        boolean toolHistory = request.messages().stream()
                .flatMap(m -> m.content().stream())
                .anyMatch(b -> b instanceof ContentBlock.ToolUse || b instanceof ContentBlock.ToolResult);
        if (toolHistory) {
            throw NO_TOOL_CALLS_WITH_TOOL_HISTORY;
        }
        return null;
    }

    /** The attempt's trace context as request headers (signed with the rest), or none. */
    private static AwsRequestOverrideConfiguration traceHeaders(ProviderCall call) {
        if (call.traceHeaders().isEmpty()) {
            return null;
        }
        AwsRequestOverrideConfiguration.Builder b = AwsRequestOverrideConfiguration.builder();
        call.traceHeaders().forEach(b::putHeader);
        return b.build();
    }

    @Override
    public CompletableFuture<ChatResponse> converse(ProviderCall call) {
        ConverseRequest request;
        try {
            request = request(call);
        } catch (UpstreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ConverseResponse> sent = client.converse(request);
        return givenUpWith(sent, sent.handle((r, e) -> {
            if (e != null) {
                throw classify(e);
            }
            checkProcessingRegion(r.sdkHttpResponse().firstMatchingHeader(PROCESSING_REGION_HEADER), call.region());
            return BedrockModel.response(r, call.request().params().stopSequences());
        }));
    }

    /**
     * {@code answer}, whose failure from outside (the router giving the attempt up at its timeout) cancels {@code
     * sent}, which aborts the SDK's HTTP exchange: a stalled upstream holds no connection past the attempt.
     */
    private static <T> CompletableFuture<T> givenUpWith(CompletableFuture<?> sent, CompletableFuture<T> answer) {
        answer.whenComplete((done, failure) -> {
            if (failure != null) {
                sent.cancel(true);
            }
        });
        return answer;
    }

    /**
     * Bedrock's own CountTokens with the conversation in its {@code converse} form (an InvokeModel body arrives here
     * already translated), so a peer Meridian or Bedrock counts with the model's tokenizer; a model Bedrock cannot
     * count for refuses it ({@code ValidationException}: the caller's error, with its reason).
     */
    @Override
    public CompletableFuture<Integer> countTokens(ProviderCall call) {
        String model = modelFor(call);
        BedrockModel.Parts p = BedrockModel.request(call.request(), model);
        CountTokensRequest request = CountTokensRequest.builder()
                .overrideConfiguration(traceHeaders(call))
                .modelId(model)
                .input(CountTokensInput.builder()
                        .converse(ConverseTokensRequest.builder()
                                .messages(p.messages())
                                .system(p.system())
                                .toolConfig(p.tools())
                                .additionalModelRequestFields(p.additionalFields())
                                .build())
                        .build())
                .build();
        CompletableFuture<CountTokensResponse> sent = client.countTokens(request);
        return givenUpWith(sent, sent.handle((r, e) -> {
            if (e != null) {
                throw classify(e);
            }
            checkProcessingRegion(r.sdkHttpResponse().firstMatchingHeader(PROCESSING_REGION_HEADER), call.region());
            return r.inputTokens();
        }));
    }

    @Override
    public CompletableFuture<ChatStream> converseStream(ProviderCall call) {
        ConverseRequest whole;
        try {
            whole = request(call);
        } catch (UpstreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        ConverseStreamRequest request = ConverseStreamRequest.builder()
                .overrideConfiguration(whole.overrideConfiguration().orElse(null))
                .modelId(whole.modelId())
                .messages(whole.messages())
                .system(whole.system())
                .inferenceConfig(whole.inferenceConfig())
                .toolConfig(whole.toolConfig())
                .outputConfig(whole.outputConfig())
                .additionalModelRequestFields(whole.additionalModelRequestFields())
                .build();
        StreamWriter<ChatEvent> writer = StreamMessage.streaming();
        CompletableFuture<Integer> completion = new CompletableFuture<>();
        CompletableFuture<ChatStream> started = new CompletableFuture<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .onResponse(r -> checkProcessingRegion(
                        r.sdkHttpResponse().firstMatchingHeader(PROCESSING_REGION_HEADER), call.region()))
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onMessageStart(e -> {
                            writer.tryWrite(new ChatEvent.MessageStart(0));
                            started.complete(new ChatStream(writer, completion));
                        })
                        .onContentBlockStart(e -> {
                            if (e.start().toolUse() != null) {
                                writer.tryWrite(new ChatEvent.BlockStart(
                                        e.contentBlockIndex(),
                                        e.start().toolUse().toolUseId(),
                                        e.start().toolUse().name()));
                            }
                        })
                        .onContentBlockDelta(e -> {
                            if (e.delta().text() != null) {
                                writer.tryWrite(new ChatEvent.TextDelta(
                                        e.contentBlockIndex(), e.delta().text()));
                            } else if (e.delta().reasoningContent() != null) {
                                writer.tryWrite(BedrockModel.reasoningDelta(
                                        e.contentBlockIndex(), e.delta().reasoningContent()));
                            } else if (e.delta().toolUse() != null) {
                                writer.tryWrite(new ChatEvent.ToolInputDelta(
                                        e.contentBlockIndex(),
                                        e.delta().toolUse().input()));
                            }
                        })
                        .onContentBlockStop(e -> writer.tryWrite(new ChatEvent.BlockStop(e.contentBlockIndex())))
                        .onMessageStop(e -> {
                            StopReason reason = BedrockModel.stopReason(e.stopReasonAsString());
                            writer.tryWrite(new ChatEvent.MessageStop(
                                    reason,
                                    BedrockModel.stopSequence(
                                            reason, call.request().params().stopSequences())));
                        })
                        .onMetadata(e -> {
                            Usage usage =
                                    new Usage(e.usage().inputTokens(), e.usage().outputTokens());
                            writer.tryWrite(new ChatEvent.Metadata(usage));
                            writer.close();
                            completion.complete(usage.outputTokens() + 1);
                        })
                        .build())
                .build();
        CompletableFuture<Void> call0 = client.converseStream(request, handler);
        call0.whenComplete((v, e) -> {
            if (e != null) {
                UpstreamException failure = classify(e);
                if (started.completeExceptionally(failure)) {
                    writer.abort(failure);
                } else {
                    writer.close(failure);
                }
                completion.completeExceptionally(failure);
            } else if (!completion.isDone()) {
                UpstreamException cut = new UpstreamException(FailureKind.SERVER_ERROR, "upstream stream ended early");
                started.completeExceptionally(cut);
                writer.close(cut);
                completion.completeExceptionally(cut);
            }
        });
        writer.whenComplete().exceptionally(cause -> {
            call0.cancel(true);
            return null;
        });
        started.whenComplete((s, e) -> {
            if (e != null) {
                call0.cancel(true);
            }
        });
        return started;
    }

    /** The header a Meridian peer names its processing region in; AWS does not send it. */
    static final String PROCESSING_REGION_HEADER = "x-meridian-inference-region";

    /**
     * A Meridian peer reports where it processed the request; anything but the destination region is a broken
     * residency promise, so the answer is refused (and the router tries elsewhere before the first byte).
     */
    private static void checkProcessingRegion(java.util.Optional<String> reported, String destination) {
        if (reported.isPresent() && !reported.get().equals(destination)) {
            throw new UpstreamException(
                    FailureKind.SERVER_ERROR,
                    "peer reported processing in " + reported.get() + ", outside destination " + destination);
        }
    }

    static UpstreamException classify(Throwable error) {
        Throwable t = Failures.cause(error);
        if (t instanceof UpstreamException u) {
            return u;
        }
        if (t instanceof ThrottlingException) {
            return new UpstreamException(FailureKind.THROTTLED, "upstream throttled the request");
        }
        if (t instanceof ModelTimeoutException
                || t instanceof ApiCallTimeoutException
                || t instanceof ApiCallAttemptTimeoutException) {
            return new UpstreamException(FailureKind.TIMEOUT, "upstream timed out");
        }
        if (t instanceof ValidationException v) {
            return RefusalReason.refusal(
                    RefusalReason.masked(v.awsErrorDetails().errorMessage(), null, null), null);
        }
        if (t instanceof ModelErrorException) {
            return new UpstreamException(FailureKind.REJECTED, "the model failed on the request (ModelErrorException)");
        }
        if (t instanceof BedrockRuntimeException b) {
            return new UpstreamException(
                    FailureKind.SERVER_ERROR,
                    "upstream answered " + b.statusCode() + " "
                            + b.awsErrorDetails().errorCode());
        }
        if (t instanceof SdkClientException) {
            return RefusedConnection.in(t)
                    ? UpstreamException.beforeSending(FailureKind.UNAVAILABLE, "cannot connect to the upstream")
                    : new UpstreamException(FailureKind.UNAVAILABLE, "cannot reach the upstream");
        }
        return new UpstreamException(FailureKind.SERVER_ERROR, "upstream call failed");
    }

    @Override
    public int capacityHint(String region, String model) {
        return 0;
    }
}

package dev.meridian.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import com.linecorp.armeria.common.util.Exceptions;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.ChatStream;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import dev.meridian.provider.RefusalReason;
import dev.meridian.provider.RefusedConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls an OpenAI-compatible server ({@code POST {baseUrl}/chat/completions}) for one destination, whole or as
 * server-sent events, over Armeria's pooled async client. Failures are classified for the router (connection
 * refused: unavailable; 429: throttled; 5xx, garbage or a stream cut short: server error; 400, 413, 422: invalid;
 * other 4xx: rejected) and described without the upstream's body, host or key, but for an invalid request's reason
 * ({@link RefusalReason}).
 */
public final class OpenAiCompatibleProvider implements Provider {
    /** Bounds memory per upstream answer (whole or streamed). */
    private static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
    /** An error answer's reason is in its first bytes; a server sending more is not read further. */
    private static final int MAX_ERROR_BODY_BYTES = 16 * 1024;

    private final OpenAiUpstream upstream;
    private final OpenAiWire.Dialect dialect;
    private final WebClient client;
    private final String path;
    /** vLLM's tokenizer endpoint, beside {@code /v1} at the server's root; null for Azure, which has none. */
    private final String tokenizePath;

    public OpenAiCompatibleProvider(OpenAiUpstream upstream, ClientFactory factory) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.dialect = upstream.dialect();
        this.path = upstream.baseUrl().getPath().replaceAll("/+$", "") + "/chat/completions"
                + (upstream.azureApiVersion() == null ? "" : "?api-version=" + upstream.azureApiVersion());
        this.tokenizePath = upstream.azureApiVersion() != null
                ? null
                : upstream.baseUrl().getPath().replaceAll("/+$", "").replaceAll("/v1$", "") + "/tokenize";
        // Paths are absolute in each request (the base path included), so the client knows only scheme and host.
        this.client = WebClient.builder(upstream.clientRoot())
                .factory(factory)
                .responseTimeout(Duration.ZERO)
                .maxResponseLength(MAX_RESPONSE_BYTES)
                .build();
    }

    private HttpRequest request(ProviderCall call, boolean stream) {
        return request(call, path, stream, OpenAiWire.request(call.request(), upstream.modelName(), stream, dialect));
    }

    private HttpRequest request(ProviderCall call, String path, boolean stream, byte[] body) {
        RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.JSON);
        if (upstream.apiKey() != null) {
            if (upstream.azureApiVersion() != null) {
                h.add("api-key", upstream.apiKey());
            } else {
                h.add("authorization", "Bearer " + upstream.apiKey());
            }
        }
        if (stream) {
            h.add("accept", "text/event-stream");
        }
        call.traceHeaders().forEach(h::add);
        return HttpRequest.of(h.build(), HttpData.wrap(body));
    }

    /**
     * What this server would refuse although another destination may serve it, as an {@code UNSUPPORTED} failure (the
     * router passes this destination by, without a health penalty), or {@code null}: more stop sequences than OpenAI
     * and Azure OpenAI take (a Converse caller may send up to 2,500).
     */
    private UpstreamException unsupported(ProviderCall call) {
        int stops = call.request().params().stopSequences().size();
        if (stops > dialect.maxStopSequences()) {
            return UpstreamException.beforeSending(
                    FailureKind.UNSUPPORTED,
                    "the model server in " + call.region() + " takes at most " + dialect.maxStopSequences()
                            + " stop sequences (the request has " + stops + ")");
        }
        return null;
    }

    @Override
    public CompletableFuture<ChatResponse> converse(ProviderCall call) {
        UpstreamException unsupported = unsupported(call);
        if (unsupported != null) {
            return CompletableFuture.failedFuture(unsupported);
        }
        return whole(() -> request(call, false), res -> {
            if (res.status().code() != 200) {
                throw status(res.status().code(), res.content().array());
            }
            return OpenAiWire.response(res.content().array());
        });
    }

    /**
     * Counts with vLLM's {@code POST /tokenize}, given the chat request itself (so the count is the prompt tokens
     * the chat template makes, what the completion would report); a server without it (OpenAI, Ollama, Azure) makes
     * the count an {@code UNSUPPORTED} failure saying so, and it moves on to another allowed destination.
     */
    @Override
    public CompletableFuture<Integer> countTokens(ProviderCall call) {
        if (tokenizePath == null) {
            return Provider.super.countTokens(call);
        }
        byte[] body = OpenAiWire.tokenizeRequest(call.request(), upstream.modelName(), dialect);
        return whole(() -> request(call, tokenizePath, false, body), res -> {
            int code = res.status().code();
            if (code == 404 || code == 405 || code == 501) {
                throw new UpstreamException(
                        FailureKind.UNSUPPORTED,
                        "the model server in " + call.region() + " does not count tokens (its /tokenize answered "
                                + code + ")");
            }
            if (code != 200) {
                throw status(code, res.content().array());
            }
            return OpenAiWire.tokenCount(res.content().array());
        });
    }

    /**
     * Sends a request (made by {@code request}, once more when needed) and reads its whole answer with {@code read};
     * a request whose connection closed under it is sent once more ({@link #closedUnderTheRequest}), other failures
     * are classified for the router.
     */
    private <T> CompletableFuture<T> whole(Supplier<HttpRequest> request, Function<AggregatedHttpResponse, T> read) {
        return whole(request, read, true);
    }

    private <T> CompletableFuture<T> whole(
            Supplier<HttpRequest> request, Function<AggregatedHttpResponse, T> read, boolean mayResend) {
        HttpResponse response = client.execute(request.get());
        AtomicReference<CompletableFuture<T>> resent = new AtomicReference<>();
        CompletableFuture<T> answer = response.aggregate()
                .handle((res, error) -> {
                    if (error != null) {
                        if (mayResend && closedUnderTheRequest(error)) {
                            CompletableFuture<T> again = whole(request, read, false);
                            resent.set(again);
                            return again;
                        }
                        throw classify(error);
                    }
                    return CompletableFuture.completedFuture(read.apply(res));
                })
                .thenCompose(again -> again);
        // The router gives an attempt up by failing this future (its timeout): the exchange is given up with it, so a
        // server that stalls holds no stream or connection for longer than the attempt (no response timeout is set).
        answer.whenComplete((done, failure) -> {
            if (failure != null) {
                response.abort();
                CompletableFuture<T> again = resent.get();
                if (again != null) {
                    again.cancel(false);
                }
            }
        });
        return answer;
    }

    /**
     * Whether a call failed because its pooled connection closed under it before an answer was complete: what a
     * keep-alive connection looks like when the server closes it as idle (vLLM's uvicorn after 5 s, Node.js and
     * llama.cpp's server too) just as the request goes out on it. The server had stopped reading, so the request
     * is sent once more, on a fresh connection, within the same attempt, rather than counted as a failure of the
     * destination (a cross-region failover, a penalty, and with one allowed region a 503). Once only: a server that
     * closes connections under every request is failing, and the second error is classified as usual.
     */
    static boolean closedUnderTheRequest(Throwable error) {
        Throwable t = Exceptions.peel(error);
        return t instanceof ClosedSessionException
                || (t instanceof UnprocessedRequestException && t.getCause() instanceof ClosedSessionException);
    }

    @Override
    public CompletableFuture<ChatStream> converseStream(ProviderCall call) {
        UpstreamException unsupported = unsupported(call);
        if (unsupported != null) {
            return CompletableFuture.failedFuture(unsupported);
        }
        return converseStream(call, true);
    }

    private CompletableFuture<ChatStream> converseStream(ProviderCall call, boolean mayResend) {
        HttpResponse response = client.execute(request(call, true));
        var split = response.split();
        CompletableFuture<ChatStream> started = new CompletableFuture<>();
        started.whenComplete((s, e) -> {
            if (e != null) {
                response.abort();
            }
        });
        split.headers().handle((headers, error) -> {
            if (error != null) {
                if (mayResend && closedUnderTheRequest(error)) {
                    converseStream(call, false).whenComplete((again, failure) -> {
                        if (failure != null) {
                            started.completeExceptionally(failure);
                        } else if (!started.complete(again)) {
                            again.events().abort(); // the caller gave up meanwhile
                        }
                    });
                    return null;
                }
                started.completeExceptionally(classify(error));
                return null;
            }
            int code = headers.status().code();
            if (code != 200) {
                if (UpstreamStatus.carriesAReason(code)) {
                    errorBody(split.body()).thenAccept(body -> started.completeExceptionally(status(code, body)));
                } else {
                    split.body().abort();
                    started.completeExceptionally(status(code, new byte[0]));
                }
                return null;
            }
            StreamWriter<ChatEvent> writer = StreamMessage.streaming();
            CompletableFuture<Integer> completion = new CompletableFuture<>();
            SseTranslator translator = new SseTranslator(writer, completion, started);
            writer.whenComplete().exceptionally(cause -> {
                split.body().abort();
                completion.completeExceptionally(cause);
                return null;
            });
            split.body().subscribe(translator);
            return null;
        });
        return started;
    }

    /**
     * The first {@value #MAX_ERROR_BODY_BYTES} bytes of a streamed request's error answer (a JSON error object; the
     * rest, if a server sent more, is dropped); empty if it cannot be read.
     */
    private static CompletableFuture<byte[]> errorBody(StreamMessage<HttpData> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        return body.collect()
                .thenApply(pieces -> {
                    for (HttpData piece : pieces) {
                        int room = MAX_ERROR_BODY_BYTES - bytes.size();
                        if (room <= 0) {
                            break;
                        }
                        bytes.write(piece.array(), 0, Math.min(room, piece.length()));
                    }
                    return bytes.toByteArray();
                })
                .exceptionally(unreadable -> new byte[0]);
    }

    /** Classifies a non-200 answer ({@link UpstreamStatus}). */
    private UpstreamException status(int code, byte[] body) {
        return UpstreamStatus.of(code, body, upstream.baseUrl().getHost(), upstream.apiKey());
    }

    static UpstreamException classify(Throwable error) {
        Throwable t = Exceptions.peel(error);
        if (t instanceof UpstreamException u) {
            return u;
        }
        if (t instanceof UnprocessedRequestException || RefusedConnection.in(t)) { // not sent, either way
            return UpstreamException.beforeSending(FailureKind.UNAVAILABLE, "cannot connect to the upstream");
        }
        if (t instanceof ResponseTimeoutException) {
            return new UpstreamException(FailureKind.TIMEOUT, "upstream did not answer in time");
        }
        return new UpstreamException(FailureKind.SERVER_ERROR, "upstream connection failed");
    }

    /** Reads {@code data:} lines of an OpenAI SSE body and writes canonical events; one per stream. */
    private static final class SseTranslator implements org.reactivestreams.Subscriber<HttpData> {
        private final StreamWriter<ChatEvent> writer;
        private final CompletableFuture<Integer> completion;
        private final CompletableFuture<ChatStream> started;
        private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
        private org.reactivestreams.Subscription subscription;
        private boolean textOpen;
        private boolean reasoningOpen;
        /** The text block's index: 0, or 1 after a reasoning block. */
        private int textIndex;

        private int toolIndex = -1;
        private String finish;
        /** vLLM's {@code stop_reason} beside the finish reason: the stop string that ended generation, if one did. */
        private JsonNode stopString;

        private Usage usage;
        private boolean done;

        SseTranslator(
                StreamWriter<ChatEvent> writer,
                CompletableFuture<Integer> completion,
                CompletableFuture<ChatStream> started) {
            this.writer = writer;
            this.completion = completion;
            this.started = started;
        }

        @Override
        public void onSubscribe(org.reactivestreams.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        /**
         * Splits the body into lines on bytes and decodes only whole lines: a chunk of the body can end inside a
         * multi-byte UTF-8 character (an umlaut split by TCP or a buffering proxy), which decoding chunk by chunk
         * would turn into replacement characters; a newline byte never occurs inside one.
         */
        @Override
        public void onNext(HttpData data) {
            byte[] bytes = data.array();
            int lineStart = 0;
            for (int i = 0; i < bytes.length && !done; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                partialLine.write(bytes, lineStart, i - lineStart);
                lineStart = i + 1;
                String line = partialLine.toString(StandardCharsets.UTF_8).trim();
                partialLine.reset();
                if (line.startsWith("data:")) {
                    try {
                        handle(line.substring(5).trim());
                    } catch (UpstreamException e) {
                        fail(e);
                        subscription.cancel();
                        return;
                    }
                }
            }
            if (!done) {
                partialLine.write(bytes, lineStart, bytes.length - lineStart);
            }
        }

        private void handle(String payload) {
            if (payload.equals("[DONE]")) {
                finish();
                return;
            }
            JsonNode chunk = OpenAiWire.parse(payload.getBytes(StandardCharsets.UTF_8));
            if (chunk.has("error")) {
                throw new UpstreamException(FailureKind.SERVER_ERROR, "upstream stream failed");
            }
            if (!started.isDone()) {
                writer.tryWrite(new ChatEvent.MessageStart(0));
                started.complete(new ChatStream(writer, completion));
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            String reasoning = OpenAiWire.reasoning(delta);
            if (!reasoning.isEmpty() && !textOpen && toolIndex < 0) { // thinking comes first, or not at all
                reasoningOpen = true;
                textIndex = 1;
                writer.tryWrite(ChatEvent.ReasoningDelta.text(0, reasoning));
            }
            String text = delta.path("content").asText("");
            List<TokenLogprob> logprobs = OpenAiWire.logprobs(choice);
            if (!text.isEmpty() || !logprobs.isEmpty()) { // a token may be part of a character: no text, a logprob
                closeReasoning();
                textOpen = true;
                writer.tryWrite(new ChatEvent.TextDelta(textIndex, text, logprobs));
            }
            for (JsonNode call : delta.path("tool_calls")) {
                if (call.hasNonNull("id")) {
                    closeOpenBlock();
                    toolIndex = toolIndex < 0 ? textIndex + 1 : toolIndex + 1;
                    writer.tryWrite(new ChatEvent.BlockStart(
                            toolIndex,
                            call.get("id").asText(),
                            call.path("function").path("name").asText()));
                }
                String args = call.path("function").path("arguments").asText("");
                if (!args.isEmpty() && toolIndex >= 0) {
                    writer.tryWrite(new ChatEvent.ToolInputDelta(toolIndex, args));
                }
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.get("finish_reason").asText();
                stopString = choice.get("stop_reason");
            }
            if (chunk.has("usage") && chunk.get("usage").isObject()) {
                JsonNode u = chunk.get("usage");
                usage = new Usage(
                        u.path("prompt_tokens").asInt(0),
                        u.path("completion_tokens").asInt(0));
            }
        }

        private void closeOpenBlock() {
            closeReasoning();
            if (toolIndex >= 0) {
                writer.tryWrite(new ChatEvent.BlockStop(toolIndex));
            } else if (textOpen) {
                writer.tryWrite(new ChatEvent.BlockStop(textIndex));
                textOpen = false;
            }
        }

        private void closeReasoning() {
            if (reasoningOpen) {
                writer.tryWrite(new ChatEvent.BlockStop(0));
                reasoningOpen = false;
            }
        }

        private void finish() {
            if (!started.isDone()) {
                writer.tryWrite(new ChatEvent.MessageStart(0));
                started.complete(new ChatStream(writer, completion));
            }
            done = true;
            closeOpenBlock();
            StopReason reason = OpenAiWire.stopReason(finish, stopString);
            Usage u = usage != null ? usage : new Usage(0, 0);
            writer.tryWrite(new ChatEvent.MessageStop(reason, OpenAiWire.stopSequence(reason, stopString)));
            writer.tryWrite(new ChatEvent.Metadata(u));
            writer.close();
            completion.complete(u.outputTokens() + 1);
        }

        private void fail(UpstreamException e) {
            done = true;
            if (started.completeExceptionally(e)) {
                writer.abort(e);
            } else {
                writer.close(e);
            }
            completion.completeExceptionally(e);
        }

        @Override
        public void onError(Throwable t) {
            if (!done) {
                fail(classify(t));
            }
        }

        @Override
        public void onComplete() {
            if (!done) {
                fail(new UpstreamException(FailureKind.SERVER_ERROR, "upstream closed the stream before it ended"));
            }
        }
    }
}

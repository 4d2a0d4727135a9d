package dev.meridian.server.simserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.Failures;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.ProviderCall;
import dev.meridian.provider.sim.SimulatorProvider;
import dev.meridian.server.http.CallerDeparture;
import dev.meridian.server.http.Json;
import dev.meridian.server.surface.openai.ChatCompletionChunks;
import dev.meridian.server.surface.openai.ChatCompletionsCodec;
import dev.meridian.server.surface.openai.OpenAiErrors;
import dev.meridian.sim.RegionSimulator;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated region served over HTTP the way vLLM serves a model: an OpenAI-compatible
 * {@code /v1/chat/completions} (whole and SSE), {@code /tokenize}, {@code /v1/models}, {@code /health}, and
 * vLLM-style Prometheus load gauges on {@code /metrics}. {@code meridian sim serve} runs it on its own; tests start
 * several to stand for remote regions, so the OpenAI-compatible provider is exercised over real HTTP.
 */
public final class SimulatorHttpServer implements AutoCloseable {
    private final Server server;
    private final RegionSimulator simulator;
    private final String region;
    private final List<String> models;

    private SimulatorHttpServer(RegionSimulator simulator, String region, List<String> models, String bind, int port) {
        this.simulator = simulator;
        this.region = region;
        this.models = List.copyOf(models);
        SimulatorProvider provider = new SimulatorProvider(simulator);
        this.server = Server.builder()
                .http(new InetSocketAddress(bind, port))
                .service(
                        "/v1/chat/completions",
                        (ctx, req) -> HttpResponse.of(req.aggregate()
                                .thenCompose(
                                        agg -> chat(ctx, provider, agg.content().array()))
                                .exceptionally(OpenAiErrors::of)))
                .service(
                        "/tokenize",
                        (ctx, req) -> HttpResponse.of(req.aggregate()
                                .thenCompose(
                                        agg -> tokenize(provider, agg.content().array()))
                                .exceptionally(OpenAiErrors::of)))
                .service("/v1/models", (ctx, req) -> models())
                .service("/health", (ctx, req) -> HttpResponse.of(HttpStatus.OK))
                .service("/metrics", (ctx, req) -> metrics())
                .build();
        server.start().join();
    }

    /**
     * The request without vLLM's {@code top_k} (an integer; -1 and 0 turn it off), which vLLM accepts beside OpenAI's
     * parameters and a gateway sends when told the upstream takes it; the simulator does not model sampling.
     */
    static JsonNode withoutTopK(JsonNode root) {
        if (root instanceof ObjectNode object && object.has("top_k")) {
            JsonNode topK = object.remove("top_k");
            if (!topK.isIntegralNumber() || !topK.canConvertToInt() || topK.intValue() < -1) {
                throw GatewayException.invalidParameter(
                        "top_k", "top_k must be -1 or 0 (disabled) or a positive integer.");
            }
        }
        return root;
    }

    /** Starts a server for {@code region} on {@code bind:port} (0 = any free port). */
    public static SimulatorHttpServer start(
            RegionSimulator simulator, String region, List<String> models, String bind, int port) {
        return new SimulatorHttpServer(simulator, region, models, bind, port);
    }

    private CompletableFuture<HttpResponse> chat(ServiceRequestContext ctx, SimulatorProvider provider, byte[] body) {
        // Any number of stop sequences, as vLLM takes (a gateway passes on a Converse caller's up to 2,500).
        ChatCompletionsCodec.Parsed p =
                ChatCompletionsCodec.parse(withoutTopK(ChatCompletionsCodec.read(body)), Integer.MAX_VALUE);
        if (!models.contains(p.model())) {
            throw GatewayException.notFound("The model `" + p.model() + "` does not exist.");
        }
        if (p.choices() != 1) { // a gateway asks for one answer per request
            throw GatewayException.invalidParameter("n", "The simulated server answers n=1 only.");
        }
        ProviderCall call = new ProviderCall(region, region, p.model(), p.request());
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (!p.stream()) {
            CompletableFuture<ChatResponse> generated = provider.converse(call);
            // A client that closes its connection or resets its stream gives the request up, as vLLM aborts it:
            // cancelling the answer frees its sequence at once.
            CallerDeparture.of(ctx).thenRun(() -> generated.cancel(false));
            return generated
                    .thenApply(r -> {
                        ObjectNode answer = ChatCompletionsCodec.render(r, id, p.model(), created);
                        // vLLM names the stop sequence that ended generation (null for any other stop)
                        ((ObjectNode) answer.path("choices").get(0)).put("stop_reason", r.stopSequence());
                        return Json.ok(answer);
                    })
                    .exceptionally(SimulatorHttpServer::upstreamError);
        }
        return provider.converseStream(call)
                .thenApply(stream -> {
                    ChatCompletionChunks chunks =
                            new ChatCompletionChunks(id, p.model(), created, p.includeUsage(), true);
                    StreamMessage<HttpData> events = stream.events()
                            .map(chunks::encode)
                            .recoverAndResume(cause -> StreamMessage.of(ChatCompletionChunks.failure(cause)));
                    return HttpResponse.of(
                            ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM), events);
                })
                .exceptionally(SimulatorHttpServer::upstreamError);
    }

    /**
     * vLLM's {@code POST /tokenize} in its chat form (model and messages, as a chat completion has them): the
     * prompt's token count, the {@code prompt_tokens} a completion of it reports. Only {@code count} is answered; the
     * simulator has no token ids.
     */
    private CompletableFuture<HttpResponse> tokenize(SimulatorProvider provider, byte[] body) {
        ChatCompletionsCodec.Parsed p = ChatCompletionsCodec.parse(ChatCompletionsCodec.read(body));
        if (!models.contains(p.model())) {
            throw GatewayException.notFound("The model `" + p.model() + "` does not exist.");
        }
        return provider.countTokens(new ProviderCall(region, region, p.model(), p.request()))
                .thenApply(count -> Json.ok(Json.object().put("count", count)))
                .exceptionally(SimulatorHttpServer::upstreamError);
    }

    /**
     * A throttled simulator answers 429, a down one 503, like a saturated or failing model server; a request too
     * long for the model's context window 400 ({@code context_length_exceeded}), as vLLM and OpenAI do.
     */
    private static HttpResponse upstreamError(Throwable failure) {
        Throwable t = Failures.cause(failure);
        if (t instanceof UpstreamException u) {
            ErrorKind kind = switch (u.kind()) {
                case THROTTLED -> ErrorKind.THROTTLED;
                case INVALID -> ErrorKind.VALIDATION;
                case CONTEXT_EXCEEDED -> ErrorKind.CONTEXT_WINDOW_EXCEEDED;
                default -> ErrorKind.SERVICE_UNAVAILABLE;
            };
            return OpenAiErrors.of(new GatewayException(kind, u.getMessage()));
        }
        return OpenAiErrors.of(t);
    }

    private HttpResponse models() {
        ObjectNode root = Json.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        models.forEach(m -> data.addObject().put("id", m).put("object", "model").put("owned_by", "meridian-sim"));
        return Json.ok(root);
    }

    /**
     * vLLM's gauge names (the current ones: {@code kv_cache_usage_perc}, not the older {@code gpu_cache_usage_perc}),
     * so a router that reads vLLM's load signals reads the simulator the same way.
     */
    private HttpResponse metrics() {
        StringBuilder text = new StringBuilder();
        text.append("# TYPE vllm:num_requests_running gauge\n");
        for (String m : models) {
            text.append("vllm:num_requests_running{model_name=\"")
                    .append(m)
                    .append("\"} ")
                    .append(simulator.inFlight(region, m))
                    .append('\n');
        }
        text.append("# TYPE vllm:num_requests_waiting gauge\n");
        models.forEach(m ->
                text.append("vllm:num_requests_waiting{model_name=\"").append(m).append("\"} 0\n"));
        text.append("# TYPE vllm:kv_cache_usage_perc gauge\n");
        for (String m : models) {
            int capacity = simulator.profile(region, m).capacity();
            double usage = capacity == 0 ? 1.0 : (double) simulator.inFlight(region, m) / capacity;
            text.append("vllm:kv_cache_usage_perc{model_name=\"")
                    .append(m)
                    .append("\"} ")
                    .append(usage)
                    .append('\n');
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, text.toString());
    }

    /**
     * Runs one simulated region as its own process: {@code SimulatorHttpServer REGION PORT MODEL[,MODEL...]
     * [TIME_SCALE]}. Prints {@code listening on <port>} once it accepts connections; {@code meridian sim serve} is
     * the friendlier front end.
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: SimulatorHttpServer REGION PORT MODEL[,MODEL...] [TIME_SCALE]");
            System.exit(2);
        }
        var catalog = dev.meridian.server.config.ConfigLoader.defaults().catalog();
        var rtt = dev.meridian.core.route.RoundTripTimes.estimate(catalog, java.util.Map.of());
        double timeScale = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
        SimulatorHttpServer server = start(
                RegionSimulator.builder(rtt).timeScale(timeScale).build(),
                args[0],
                List.of(args[2].split(",")),
                "127.0.0.1",
                Integer.parseInt(args[1]));
        System.out.println("listening on " + server.port());
        System.out.flush();
    }

    public int port() {
        return server.activeLocalPort();
    }

    public RegionSimulator simulator() {
        return simulator;
    }

    @Override
    public void close() {
        server.stop().join();
    }
}

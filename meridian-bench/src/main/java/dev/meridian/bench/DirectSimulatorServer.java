package dev.meridian.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.server.http.Json;
import dev.meridian.sim.RegionSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the same simulator behind a bare Converse endpoint (same Armeria, same Jackson), with no
 * authentication, resolution, residency, routing or failover. The difference to Meridian is what Meridian adds.
 */
final class DirectSimulatorServer implements AutoCloseable {
    private final Server server;

    DirectSimulatorServer(RegionSimulator simulator, String region) {
        this.server = Server.builder()
                .http(new InetSocketAddress("127.0.0.1", 0))
                .service(
                        "/model/{modelId}/converse",
                        (ctx, req) -> HttpResponse.of(req.aggregate().thenCompose(agg -> {
                            ChatRequest request = parse(agg.content().array());
                            String model = ctx.pathParam("modelId");
                            return simulator
                                    .generate(region, region, model, request)
                                    .thenApply(r -> {
                                        ObjectNode root = Json.object();
                                        ObjectNode message =
                                                root.putObject("output").putObject("message");
                                        message.put("role", "assistant");
                                        message.putArray("content")
                                                .addObject()
                                                .put("text", r.message().text());
                                        root.put("stopReason", "end_turn");
                                        ObjectNode usage = root.putObject("usage");
                                        usage.put("inputTokens", r.usage().inputTokens());
                                        usage.put("outputTokens", r.usage().outputTokens());
                                        usage.put("totalTokens", r.usage().totalTokens());
                                        root.putObject("metrics").put("latencyMs", 0);
                                        return HttpResponse.of(
                                                ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.JSON),
                                                HttpData.wrap(Json.bytes(root)));
                                    });
                        })))
                .service(
                        "/model/{modelId}/converse-stream",
                        (ctx, req) -> HttpResponse.of(req.aggregate()
                                .thenApply(agg -> stream(
                                        simulator,
                                        region,
                                        ctx.pathParam("modelId"),
                                        parse(agg.content().array())))))
                .build();
        server.start().join();
    }

    /** Streams the simulator's text deltas as event-stream frames, the way an upstream with streaming would. */
    private static HttpResponse stream(RegionSimulator simulator, String region, String model, ChatRequest request) {
        com.linecorp.armeria.common.stream.StreamWriter<HttpData> body =
                com.linecorp.armeria.common.stream.StreamMessage.streaming();
        simulator.stream(region, region, model, request, new RegionSimulator.StreamListener() {
            @Override
            public void onStart(int inputTokens) {
                body.tryWrite(dev.meridian.server.surface.bedrock.EventStreamWriter.event(
                        "messageStart", "{\"role\":\"assistant\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }

            @Override
            public void onText(String text, java.util.List<dev.meridian.core.chat.TokenLogprob> logprobs) {
                ObjectNode delta = Json.object();
                delta.putObject("delta").put("text", text);
                delta.put("contentBlockIndex", 0);
                body.tryWrite(dev.meridian.server.surface.bedrock.EventStreamWriter.event(
                        "contentBlockDelta", Json.bytes(delta)));
            }

            @Override
            public void onToolUse(dev.meridian.core.chat.ContentBlock.ToolUse toolUse) {}

            @Override
            public void onComplete(
                    dev.meridian.core.chat.StopReason stopReason,
                    String stopSequence,
                    dev.meridian.core.chat.Usage usage) {
                body.close();
            }

            @Override
            public void onError(dev.meridian.core.route.UpstreamException failure) {
                body.close(failure);
            }
        });
        return HttpResponse.of(
                ResponseHeaders.of(HttpStatus.OK, "content-type", "application/vnd.amazon.eventstream"), body);
    }

    private static ChatRequest parse(byte[] body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            List<Message> messages = new ArrayList<>();
            for (JsonNode m : root.get("messages")) {
                messages.add(Message.text(
                        m.get("role").asText().equals("user") ? Role.USER : Role.ASSISTANT,
                        m.get("content").get(0).get("text").asText()));
            }
            return new ChatRequest(List.of(), messages, InferenceParams.DEFAULTS, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.activeLocalPort();
    }

    @Override
    public void close() {
        server.stop().join();
    }
}

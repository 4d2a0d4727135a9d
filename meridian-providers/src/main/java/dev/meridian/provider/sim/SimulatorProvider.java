package dev.meridian.provider.sim;

import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import dev.meridian.core.chat.ChatEvent;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.provider.ChatStream;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import dev.meridian.sim.RegionSimulator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Serves every destination from the in-process {@link RegionSimulator}: the embedded default upstream. */
public final class SimulatorProvider implements Provider {
    private final RegionSimulator simulator;

    public SimulatorProvider(RegionSimulator simulator) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
    }

    @Override
    public CompletableFuture<ChatResponse> converse(ProviderCall call) {
        return simulator.generate(call.sourceRegion(), call.region(), call.modelId(), call.request(), call.choice());
    }

    @Override
    public CompletableFuture<Integer> countTokens(ProviderCall call) {
        return simulator.countTokens(call.sourceRegion(), call.region(), call.modelId(), call.request());
    }

    @Override
    public CompletableFuture<ChatStream> converseStream(ProviderCall call) {
        StreamWriter<ChatEvent> writer = StreamMessage.streaming();
        CompletableFuture<ChatStream> started = new CompletableFuture<>();
        CompletableFuture<Integer> completion = new CompletableFuture<>();
        RegionSimulator.StreamHandle handle = simulator.stream(
                call.sourceRegion(),
                call.region(),
                call.modelId(),
                call.request(),
                call.choice(),
                new RegionSimulator.StreamListener() {
                    @Override
                    public void onStart(int inputTokens) {
                        writer.tryWrite(new ChatEvent.MessageStart(inputTokens));
                        started.complete(new ChatStream(writer, completion));
                    }

                    private int block;

                    @Override
                    public void onReasoning(String text) {
                        writer.tryWrite(ChatEvent.ReasoningDelta.text(block, text));
                    }

                    @Override
                    public void onReasoningEnd(String signature) {
                        writer.tryWrite(ChatEvent.ReasoningDelta.signature(block, signature));
                        writer.tryWrite(new ChatEvent.BlockStop(block));
                        block++;
                    }

                    @Override
                    public void onText(String text, List<TokenLogprob> logprobs) {
                        writer.tryWrite(new ChatEvent.TextDelta(block, text, logprobs));
                    }

                    @Override
                    public void onToolUse(ContentBlock.ToolUse toolUse) {
                        writer.tryWrite(new ChatEvent.BlockStop(block));
                        block++;
                        writer.tryWrite(new ChatEvent.BlockStart(block, toolUse.id(), toolUse.name()));
                        writer.tryWrite(new ChatEvent.ToolInputDelta(block, toolUse.inputJson()));
                    }

                    @Override
                    public void onComplete(StopReason stopReason, String stopSequence, Usage usage) {
                        writer.tryWrite(new ChatEvent.BlockStop(block));
                        writer.tryWrite(new ChatEvent.MessageStop(stopReason, stopSequence));
                        writer.tryWrite(new ChatEvent.Metadata(usage));
                        writer.close();
                        completion.complete(usage.outputTokens() + 1);
                    }

                    @Override
                    public void onError(UpstreamException failure) {
                        if (started.completeExceptionally(failure)) {
                            writer.abort(failure);
                        } else {
                            writer.close(failure);
                        }
                        completion.completeExceptionally(failure);
                    }
                });
        // The caller went away (or the attempt timed out before the first token): stop generating.
        writer.whenComplete().exceptionally(cause -> {
            handle.cancel();
            completion.completeExceptionally(cause);
            return null;
        });
        started.whenComplete((stream, failure) -> {
            if (failure != null) {
                handle.cancel();
                writer.abort(failure);
            }
        });
        return started;
    }

    @Override
    public int capacityHint(String region, String modelId) {
        return simulator.profile(region, modelId).capacity();
    }

    @Override
    public long tokensPerMinuteHint(String region, String modelId) {
        return simulator.profile(region, modelId).tokensPerMinute();
    }
}

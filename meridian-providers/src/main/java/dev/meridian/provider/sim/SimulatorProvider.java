package dev.meridian.provider.sim;

import dev.meridian.core.chat.ChatResponse;
import dev.meridian.provider.Provider;
import dev.meridian.provider.ProviderCall;
import dev.meridian.sim.RegionSimulator;
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
        return simulator.generate(call.sourceRegion(), call.region(), call.modelId(), call.request());
    }

    @Override
    public int capacityHint(String region, String modelId) {
        return simulator.profile(region, modelId).capacity();
    }
}

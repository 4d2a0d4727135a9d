package dev.meridian.sim;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.chat.StopReason;
import dev.meridian.core.chat.TokenLogprob;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.core.route.UpstreamException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Simulated model-serving regions: the embedded default upstream, so Meridian runs and demos with no GPU and no
 * account.
 *
 * <p>Each (region, model) has a {@link ServingProfile}. A request is throttled when the destination already runs
 * {@code capacity} sequences, fails like a refused connection when its region is down, and otherwise completes
 * after
 *
 * <pre>
 *   rtt(source, region) + ttft + inputTokens / prefill + outputTokens / (decode / (1 + slowdown * utilization))
 * </pre>
 *
 * milliseconds, multiplied by {@code timeScale} (tests run the same model 100x faster). Output text is
 * deterministic. Regions can be taken down, brought back and resized at runtime. Thread-safe.
 */
public final class RegionSimulator implements AutoCloseable {
    /** A full batch decodes each sequence this much slower than an idle server (continuous batching). */
    public static final double FULL_BATCH_SLOWDOWN = ServingProfile.FULL_BATCH_SLOWDOWN;

    /** Output tokens reserved against a token quota when a request sets no limit (Bedrock reserves the maximum). */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private final RoundTripTimes roundTrips;
    private final ServingProfile defaults;
    private final Map<String, ServingProfile> byRegion;
    private final Map<String, ServingProfile> byDestination;
    private final double timeScale;
    private final ToIntFunction<String> contextTokens;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final Map<String, Integer> capacityOverride = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> processed = new ConcurrentHashMap<>();
    private final Map<String, dev.meridian.core.route.TokenWindow> quotaUse = new ConcurrentHashMap<>();
    private final List<Consumer<Processed>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RegionSimulator(Builder b) {
        this.roundTrips = b.roundTrips;
        this.defaults = b.defaults;
        this.byRegion = Map.copyOf(b.byRegion);
        this.byDestination = Map.copyOf(b.byDestination);
        this.timeScale = b.timeScale;
        this.contextTokens = b.contextTokens;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? newScheduler() : b.scheduler;
    }

    public static Builder builder(RoundTripTimes roundTrips) {
        return new Builder(roundTrips);
    }

    /** One completed simulated invocation (or token count); listeners use it to audit where work was done. */
    public record Processed(String sourceRegion, String region, String modelId, ChatRequest request, Usage usage) {}

    /** The serving profile currently in force for a destination (capacity overrides applied). */
    public ServingProfile profile(String region, String modelId) {
        ServingProfile p = byDestination.getOrDefault(region + "/" + modelId, byRegion.getOrDefault(region, defaults));
        Integer override = capacityOverride.get(region);
        return override == null ? p : p.withCapacity(override);
    }

    /**
     * The input tokens {@code request} would count in {@code region}: what {@link #generate} reports as its usage,
     * without generating anything or taking a sequence (counting is not inference). The prompt was processed there
     * all the same, so the count is reported to {@link #onProcessed} listeners (with no output) and in
     * {@link #processedIn}.
     *
     * @return a future failing with {@link UpstreamException} {@code UNAVAILABLE} when the region is down
     */
    public CompletableFuture<Integer> countTokens(
            String sourceRegion, String region, String modelId, ChatRequest request) {
        if (isDown(region)) {
            return CompletableFuture.failedFuture(
                    UpstreamException.beforeSending(FailureKind.UNAVAILABLE, "connection refused by " + region));
        }
        int inputTokens = inputTokens(promptOf(request), request);
        processed.computeIfAbsent(region, k -> new AtomicLong()).incrementAndGet();
        Processed done = new Processed(sourceRegion, region, modelId, request, new Usage(inputTokens, 0));
        listeners.forEach(l -> l.accept(done));
        return CompletableFuture.completedFuture(inputTokens);
    }

    /**
     * {@code CONTEXT_EXCEEDED} when the prompt leaves no room in the model's context window, or with the output limit asked
     * for does not fit in it (as vLLM and Anthropic's API refuse it; Bedrock answers "Input is too long for requested
     * model."), with the numbers the caller needs; else null.
     */
    /** Why the model refuses {@code request} before generating: signed thinking altered, or too long; else null. */
    private UpstreamException refusal(String modelId, int inputTokens, ChatRequest request) {
        UpstreamException altered = alteredThinking(modelId, request);
        return altered != null ? altered : tooLong(modelId, inputTokens, request);
    }

    /**
     * As Anthropic's models do, the history's signed thinking must be what this model made: a signature that does not
     * match its text (altered on the way, or made by another model) is refused. Unsigned thinking is read as text.
     */
    private static UpstreamException alteredThinking(String modelId, ChatRequest request) {
        List<Message> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            List<ContentBlock> content = messages.get(i).content();
            for (int j = 0; j < content.size(); j++) {
                if (content.get(j) instanceof ContentBlock.Reasoning r
                        && r.text() != null
                        && r.signature() != null
                        && !r.signature().equals(TextGenerator.signature(modelId, r.text()))) {
                    return new UpstreamException(
                            FailureKind.INVALID,
                            "messages." + i + ".content." + j + ": Invalid `signature` in `thinking` block");
                }
            }
        }
        return null;
    }

    private UpstreamException tooLong(String modelId, int inputTokens, ChatRequest request) {
        int window = contextTokens.applyAsInt(modelId);
        if (window <= 0) {
            return null;
        }
        if (inputTokens >= window) {
            return new UpstreamException(
                    FailureKind.CONTEXT_EXCEEDED,
                    "Input is too long for requested model: the prompt is " + inputTokens
                            + " tokens, the model's context window " + window + ".");
        }
        Integer maxTokens = request.params().maxTokens();
        if (maxTokens != null && (long) inputTokens + maxTokens > window) {
            return new UpstreamException(
                    FailureKind.CONTEXT_EXCEEDED,
                    "Input and the output limit asked for exceed the model's context window: " + inputTokens + " + "
                            + maxTokens + " > " + window + " tokens. Shorten the prompt or lower the output limit.");
        }
        return null;
    }

    private static int inputTokens(String prompt, ChatRequest request) {
        return Tokenizer.count(prompt) + attachmentTokens(request);
    }

    /**
     * Generates an answer for {@code request} in {@code region}, called from {@code sourceRegion}.
     *
     * @return a future failing with {@link UpstreamException} ({@code UNAVAILABLE} when the region is down,
     *     {@code CONTEXT_EXCEEDED} when the request does not fit in the model's context window, {@code THROTTLED} at
     *     capacity); completing it exceptionally (or cancelling it) before the answer gives the request up, which
     *     frees its sequence at once and leaves it unprocessed
     */
    public CompletableFuture<ChatResponse> generate(
            String sourceRegion, String region, String modelId, ChatRequest request) {
        return generate(sourceRegion, region, modelId, request, 0);
    }

    /**
     * As {@link #generate(String, String, String, ChatRequest)}, as answer {@code choice} (from 0) of several to one
     * request: without a seed, each choice draws its own answer, as a model server sampling each would (with one,
     * the caller gives each choice its own seed).
     */
    public CompletableFuture<ChatResponse> generate(
            String sourceRegion, String region, String modelId, ChatRequest request, int choice) {
        if (isDown(region)) {
            return CompletableFuture.failedFuture(
                    UpstreamException.beforeSending(FailureKind.UNAVAILABLE, "connection refused by " + region));
        }
        String prompt = promptOf(request);
        int inputTokens = inputTokens(prompt, request);
        UpstreamException tooLong = refusal(modelId, inputTokens, request);
        if (tooLong != null) {
            return CompletableFuture.failedFuture(tooLong);
        }
        ServingProfile profile = profile(region, modelId);
        AtomicInteger running = inFlight.computeIfAbsent(key(region, modelId), k -> new AtomicInteger());
        int now = running.incrementAndGet();
        if (now > profile.capacity()) {
            running.decrementAndGet();
            return CompletableFuture.failedFuture(new UpstreamException(
                    FailureKind.THROTTLED,
                    "too many requests: " + region + " runs " + profile.capacity() + " sequences"));
        }
        TextGenerator.Generated out = TextGenerator.answer(modelId, sampled(prompt, request, choice), request);
        if (!admitTokens(region, modelId, profile, inputTokens, request, out.outputTokens())) {
            running.decrementAndGet();
            return CompletableFuture.failedFuture(quotaExceeded(region, profile));
        }
        double utilization = profile.capacity() == 0 ? 1 : (double) now / profile.capacity();
        double millis = roundTrips.millis(sourceRegion, region)
                + profile.firstTokenMillis(inputTokens, 0)
                + out.outputTokens() * profile.decodeMillisPerToken(utilization);
        Usage usage = new Usage(inputTokens, out.outputTokens());
        List<ContentBlock> content = new ArrayList<>(3);
        if (out.reasoning() != null) {
            content.add(out.reasoning());
        }
        content.add(new ContentBlock.Text(out.text()));
        if (out.toolUse() != null) {
            content.add(out.toolUse());
        }
        ChatResponse response = new ChatResponse(
                new Message(Role.ASSISTANT, content),
                out.stopReason(),
                usage,
                logprobs(out, request),
                out.stopSequence());
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        AtomicBoolean slotHeld = new AtomicBoolean(true);
        Runnable freeSlot = () -> {
            if (slotHeld.compareAndSet(true, false)) {
                running.decrementAndGet();
            }
        };
        Runnable finish = () -> {
            freeSlot.run();
            if (result.isDone()) {
                return; // given up by the caller: nothing was answered, nothing processed
            }
            if (isDown(region)) {
                result.completeExceptionally(
                        new UpstreamException(FailureKind.UNAVAILABLE, "connection reset by " + region));
                return;
            }
            processed.computeIfAbsent(region, k -> new AtomicLong()).incrementAndGet();
            Processed done = new Processed(sourceRegion, region, modelId, request, usage);
            listeners.forEach(l -> l.accept(done));
            result.complete(response);
        };
        long delayMicros = (long) (millis * 1000 * timeScale);
        if (delayMicros <= 0) {
            finish.run();
        } else {
            ScheduledFuture<?> answer = scheduler.schedule(finish, delayMicros, TimeUnit.MICROSECONDS);
            // A caller that gives the answer up (the gateway's attempt timed out, its own caller left) frees the
            // sequence at once, as a model server aborts a request whose connection closed.
            result.whenComplete((done, givenUp) -> {
                if (givenUp != null) {
                    answer.cancel(false);
                    freeSlot.run();
                }
            });
        }
        return result;
    }

    /** The answer's log probabilities when the request asks for them, else none. */
    private static List<TokenLogprob> logprobs(TextGenerator.Generated out, ChatRequest request) {
        Integer top = request.params().logprobs();
        if (top == null) {
            return List.of();
        }
        List<String> pieces = Tokenizer.pieces(out.text());
        return SimulatedLogprobs.of(pieces, 0, pieces.size(), top);
    }

    /** Receives a streamed simulated answer; called on the simulator's thread, never concurrently. */
    public interface StreamListener {
        /** Time to first token has passed; text follows. */
        void onStart(int inputTokens);

        /**
         * The next piece of text (one or more tokens, with their leading whitespace), and its tokens' log
         * probabilities when the request asked for them (else empty).
         */
        void onText(String text, List<TokenLogprob> logprobs);

        /** The next piece of the model's thinking, before any text; only when the request asked it to think. */
        default void onReasoning(String text) {}

        /** The thinking is complete, with its signature; text follows. */
        default void onReasoningEnd(String signature) {}

        /** The model calls a tool (after its text, before {@link #onComplete}). */
        void onToolUse(ContentBlock.ToolUse toolUse);

        /** The answer is complete; {@code stopSequence} is the one that ended it, if one did (else null). */
        void onComplete(StopReason stopReason, String stopSequence, Usage usage);

        /** The destination failed: before {@link #onStart()} (throttled, down) or mid-stream (region lost). */
        void onError(UpstreamException failure);
    }

    /**
     * What the answer is drawn from: the prompt, and for a later choice without a seed its number too (the text
     * generator draws the same answer for the same prompt; a seed already varies it per choice).
     */
    private static String sampled(String prompt, ChatRequest request, int choice) {
        return choice == 0 || request.params().seed() != null ? prompt : prompt + "\u0002choice " + choice;
    }

    /** Stops a running simulated stream (the caller went away) and frees its capacity slot. */
    public interface StreamHandle {
        void cancel();
    }

    /**
     * Streams an answer for {@code request} in {@code region}: {@code onStart} after round trip, TTFT and
     * prefill, then text as it is decoded, token by token (grouped per {@value #STREAM_TICK_MILLIS} ms tick).
     * A region taken down mid-stream ends the stream with {@code onError(UNAVAILABLE)}.
     */
    public StreamHandle stream(
            String sourceRegion, String region, String modelId, ChatRequest request, StreamListener listener) {
        return stream(sourceRegion, region, modelId, request, 0, listener);
    }

    /** As {@link #stream(String, String, String, ChatRequest, StreamListener)}, as answer {@code choice} of several. */
    public StreamHandle stream(
            String sourceRegion,
            String region,
            String modelId,
            ChatRequest request,
            int choice,
            StreamListener listener) {
        if (isDown(region)) {
            listener.onError(
                    UpstreamException.beforeSending(FailureKind.UNAVAILABLE, "connection refused by " + region));
            return () -> {};
        }
        String prompt = promptOf(request);
        int inputTokens = inputTokens(prompt, request);
        UpstreamException tooLong = refusal(modelId, inputTokens, request);
        if (tooLong != null) {
            listener.onError(tooLong);
            return () -> {};
        }
        ServingProfile profile = profile(region, modelId);
        AtomicInteger running = inFlight.computeIfAbsent(key(region, modelId), k -> new AtomicInteger());
        int now = running.incrementAndGet();
        if (now > profile.capacity()) {
            running.decrementAndGet();
            listener.onError(new UpstreamException(
                    FailureKind.THROTTLED,
                    "too many requests: " + region + " runs " + profile.capacity() + " sequences"));
            return () -> {};
        }
        TextGenerator.Generated out = TextGenerator.answer(modelId, sampled(prompt, request, choice), request);
        if (!admitTokens(region, modelId, profile, inputTokens, request, out.outputTokens())) {
            running.decrementAndGet();
            listener.onError(quotaExceeded(region, profile));
            return () -> {};
        }
        double utilization = profile.capacity() == 0 ? 1 : (double) now / profile.capacity();
        double perTokenMs = profile.decodeMillisPerToken(utilization);
        double firstMs = roundTrips.millis(sourceRegion, region) + profile.firstTokenMillis(inputTokens, 0);
        SimStream stream = new SimStream(
                sourceRegion,
                region,
                modelId,
                request,
                running,
                out.reasoning() == null
                        ? List.of()
                        : Tokenizer.pieces(out.reasoning().text()),
                Tokenizer.pieces(out.text()),
                out,
                new Usage(inputTokens, out.outputTokens()),
                firstMs,
                perTokenMs,
                listener);
        schedule(stream, firstMs);
        return stream::cancel;
    }

    /** Stream deliveries are grouped into ticks of this many simulated milliseconds. */
    public static final int STREAM_TICK_MILLIS = 10;

    private void schedule(Runnable task, double simulatedMillis) {
        long micros = (long) (simulatedMillis * 1000 * timeScale);
        if (micros <= 0) {
            scheduler.execute(task);
        } else {
            scheduler.schedule(task, micros, TimeUnit.MICROSECONDS);
        }
    }

    /** One running stream: a state machine advanced by the scheduler thread only. */
    private final class SimStream implements Runnable {
        private final String sourceRegion;
        private final String region;
        private final String modelId;
        private final ChatRequest request;
        private final AtomicInteger running;
        private final List<String> thinking;
        private final List<String> pieces;
        private final TextGenerator.Generated answer;
        private final Usage usage;
        private final double perTokenMs;
        private final StreamListener listener;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        private int thought;
        private int next;
        private boolean started;

        SimStream(
                String sourceRegion,
                String region,
                String modelId,
                ChatRequest request,
                AtomicInteger running,
                List<String> thinking,
                List<String> pieces,
                TextGenerator.Generated answer,
                Usage usage,
                double firstMs,
                double perTokenMs,
                StreamListener listener) {
            this.sourceRegion = sourceRegion;
            this.region = region;
            this.modelId = modelId;
            this.request = request;
            this.running = running;
            this.thinking = thinking;
            this.pieces = pieces;
            this.answer = answer;
            this.usage = usage;
            this.perTokenMs = perTokenMs;
            this.listener = listener;
        }

        @Override
        public void run() {
            if (done.get()) {
                return;
            }
            if (isDown(region)) {
                finish();
                listener.onError(new UpstreamException(FailureKind.UNAVAILABLE, "connection reset by " + region));
                return;
            }
            if (!started) {
                started = true;
                listener.onStart(usage.inputTokens());
            }
            int perTick = Math.max(1, (int) (STREAM_TICK_MILLIS / perTokenMs));
            if (thought < thinking.size()) {
                StringBuilder chunk = new StringBuilder();
                for (int i = 0; i < perTick && thought < thinking.size(); i++) {
                    chunk.append(thinking.get(thought++));
                }
                listener.onReasoning(chunk.toString());
                if (thought == thinking.size()) {
                    listener.onReasoningEnd(answer.reasoning().signature());
                }
                schedule(this, perTick * perTokenMs);
                return;
            }
            StringBuilder chunk = new StringBuilder();
            int from = next;
            for (int i = 0; i < perTick && next < pieces.size(); i++) {
                chunk.append(pieces.get(next++));
            }
            if (!chunk.isEmpty()) {
                Integer top = request.params().logprobs();
                listener.onText(
                        chunk.toString(), top == null ? List.of() : SimulatedLogprobs.of(pieces, from, next, top));
            }
            if (next >= pieces.size()) {
                finish();
                processed.computeIfAbsent(region, k -> new AtomicLong()).incrementAndGet();
                Processed p = new Processed(sourceRegion, region, modelId, request, usage);
                listeners.forEach(l -> l.accept(p));
                if (answer.toolUse() != null) {
                    listener.onToolUse(answer.toolUse());
                }
                listener.onComplete(answer.stopReason(), answer.stopSequence(), usage);
                return;
            }
            schedule(this, perTick * perTokenMs);
        }

        void cancel() {
            finish();
        }

        private void finish() {
            if (done.compareAndSet(false, true)) {
                running.decrementAndGet();
            }
        }
    }

    /**
     * Bedrock's quota accounting: counts input plus output limit against the destination's tokens per minute and,
     * as the answer's length is known here up front, reconciles to the real usage at once.
     */
    private boolean admitTokens(
            String region, String modelId, ServingProfile profile, int inputTokens, ChatRequest request, int output) {
        if (profile.tokensPerMinute() == 0) {
            return true;
        }
        Integer limit = request.params().maxTokens();
        int reserved = inputTokens + (limit != null ? limit : DEFAULT_MAX_TOKENS);
        var window = quotaUse.computeIfAbsent(key(region, modelId), k -> new dev.meridian.core.route.TokenWindow());
        long nowNanos = System.nanoTime();
        synchronized (window) {
            if (window.sum(nowNanos) + reserved > profile.tokensPerMinute()) {
                return false;
            }
            window.add(nowNanos, inputTokens + output);
            return true;
        }
    }

    private static UpstreamException quotaExceeded(String region, ServingProfile profile) {
        return new UpstreamException(
                FailureKind.THROTTLED,
                "too many tokens: " + region + " admits " + profile.tokensPerMinute() + " tokens per minute");
    }

    /** What one image costs in input tokens here (real models charge by size; a constant keeps runs comparable). */
    public static final int IMAGE_TOKENS = 258;

    /**
     * Input tokens of what the prompt's text does not show: {@link #IMAGE_TOKENS} per image, and for a document
     * that is not text (a PDF, a spreadsheet) a token per four bytes (a text document is part of the prompt).
     */
    private static int attachmentTokens(ChatRequest request) {
        int n = 0;
        for (Message m : request.messages()) {
            for (ContentBlock b : m.content()) {
                if (b instanceof ContentBlock.Image) {
                    n += IMAGE_TOKENS;
                } else if (b instanceof ContentBlock.Document d && !Documents.isText(d)) {
                    n += (Documents.size(d) + 3) / 4;
                }
            }
        }
        return n;
    }

    private static String promptOf(ChatRequest request) {
        StringBuilder sb = new StringBuilder();
        request.system().forEach(s -> sb.append(s).append('\n'));
        request.messages().forEach(m -> sb.append(m.text()).append('\n'));
        return sb.toString();
    }

    /** Takes a region down (requests fail as if the connection were refused) or brings it back. */
    public void setDown(String region, boolean isDown) {
        if (isDown) {
            down.put(region, true);
        } else {
            down.remove(region);
        }
    }

    public boolean isDown(String region) {
        return down.containsKey(region);
    }

    /** Overrides the capacity of every model in {@code region}; {@code null} restores the configured one. */
    public void setCapacity(String region, Integer capacity) {
        if (capacity == null) {
            capacityOverride.remove(region);
        } else if (capacity < 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 0)");
        } else {
            capacityOverride.put(region, capacity);
        }
    }

    /** Sequences running now at a destination. */
    public int inFlight(String region, String modelId) {
        AtomicInteger n = inFlight.get(key(region, modelId));
        return n == null ? 0 : n.get();
    }

    /** Requests completed in {@code region} since start (invocations and token counts). */
    public long processedIn(String region) {
        AtomicLong n = processed.get(region);
        return n == null ? 0 : n.get();
    }

    /** Regions currently taken down, and capacity overrides in force. */
    public Status status() {
        return new Status(new ArrayList<>(down.keySet()), Map.copyOf(capacityOverride));
    }

    /** Runtime state changed through the admin switches. */
    public record Status(List<String> downRegions, Map<String, Integer> capacityOverrides) {
        public Status {
            downRegions = downRegions.stream().sorted().toList();
        }
    }

    /** Calls {@code listener} after every completed invocation (on the simulator's thread) and token count. */
    public void onProcessed(Consumer<Processed> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private static String key(String region, String modelId) {
        return region + "/" + modelId;
    }

    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meridian-sim");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    @Override
    public void close() {
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    /** Configures a {@link RegionSimulator}. */
    public static final class Builder {
        private final RoundTripTimes roundTrips;
        private ServingProfile defaults = ServingProfile.DEFAULT;
        private final Map<String, ServingProfile> byRegion = new java.util.HashMap<>();
        private final Map<String, ServingProfile> byDestination = new java.util.HashMap<>();
        private double timeScale = 1.0;
        private ScheduledExecutorService scheduler;
        private ToIntFunction<String> contextTokens = modelId -> 0;

        private Builder(RoundTripTimes roundTrips) {
            this.roundTrips = Objects.requireNonNull(roundTrips, "roundTrips");
        }

        public Builder defaults(ServingProfile profile) {
            this.defaults = Objects.requireNonNull(profile, "defaults");
            return this;
        }

        public Builder region(String region, ServingProfile profile) {
            byRegion.put(region, Objects.requireNonNull(profile, "profile"));
            return this;
        }

        public Builder destination(String region, String modelId, ServingProfile profile) {
            byDestination.put(key(region, modelId), Objects.requireNonNull(profile, "profile"));
            return this;
        }

        /** Multiplies every simulated delay (1.0 = real time, 0.01 = 100x faster, 0 = instant). */
        public Builder timeScale(double scale) {
            if (!(scale >= 0)) {
                throw new IllegalArgumentException("timeScale: " + scale + " (expected: >= 0)");
            }
            this.timeScale = scale;
            return this;
        }

        /**
         * Each model's context window (prompt and output tokens together; 0 = unlimited), read at every request so a
         * catalog that changes is followed: a request that would not fit is refused as invalid, as the model's server
         * refuses it. Unlimited by default.
         */
        public Builder contextTokens(ToIntFunction<String> byModelId) {
            this.contextTokens = Objects.requireNonNull(byModelId, "byModelId");
            return this;
        }

        /** Runs completions on {@code executor} instead of a private daemon thread. */
        public Builder scheduler(ScheduledExecutorService executor) {
            this.scheduler = executor;
            return this;
        }

        public RegionSimulator build() {
            return new RegionSimulator(this);
        }
    }
}

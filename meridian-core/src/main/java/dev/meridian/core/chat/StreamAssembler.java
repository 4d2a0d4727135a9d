package dev.meridian.core.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Rebuilds the whole answer from a stream of {@link ChatEvent}s, as a non-streaming call would have returned it:
 * for records of streamed invocations (model invocation logs) and for tests. Not thread-safe; feed it from the
 * stream's own thread.
 */
public final class StreamAssembler {
    private final TreeMap<Integer, StringBuilder> text = new TreeMap<>();
    private final TreeMap<Integer, String[]> tools = new TreeMap<>();
    private final TreeMap<Integer, StringBuilder> toolInput = new TreeMap<>();
    private final TreeMap<Integer, ReasoningParts> reasoning = new TreeMap<>();
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    private StopReason stopReason = StopReason.END_TURN;
    private String stopSequence;
    private Usage usage = new Usage(0, 0);
    private int inputTokens;

    /** Takes the next event. */
    public void accept(ChatEvent event) {
        switch (event) {
            case ChatEvent.MessageStart s -> inputTokens = s.inputTokens();
            case ChatEvent.BlockStart b -> {
                if (b.toolUseId() != null) {
                    tools.put(b.index(), new String[] {b.toolUseId(), b.toolName()});
                    toolInput.put(b.index(), new StringBuilder());
                }
            }
            case ChatEvent.TextDelta d -> {
                text.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.text());
                logprobs.addAll(d.logprobs());
            }
            case ChatEvent.ReasoningDelta d ->
                reasoning.computeIfAbsent(d.index(), i -> new ReasoningParts()).add(d);
            case ChatEvent.ToolInputDelta d ->
                toolInput.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.json());
            case ChatEvent.BlockStop b -> {
                // blocks are assembled at the end, in index order
            }
            case ChatEvent.MessageStop m -> {
                stopReason = m.stopReason();
                stopSequence = m.stopSequence();
            }
            case ChatEvent.Metadata m -> usage = m.usage();
        }
    }

    /** The answer so far (complete once the stream ended). */
    public ChatResponse response() {
        TreeMap<Integer, ContentBlock> blocks = new TreeMap<>();
        text.forEach((i, t) -> blocks.put(i, new ContentBlock.Text(t.toString())));
        reasoning.forEach((i, r) -> blocks.put(i, r.block()));
        tools.forEach((i, t) -> {
            String input = toolInput.getOrDefault(i, new StringBuilder()).toString();
            blocks.put(i, new ContentBlock.ToolUse(t[0], t[1], input.isEmpty() ? "{}" : input));
        });
        List<ContentBlock> content = new ArrayList<>(blocks.values());
        Usage u = usage.inputTokens() == 0 && inputTokens > 0 ? new Usage(inputTokens, usage.outputTokens()) : usage;
        return new ChatResponse(
                new Message(Role.ASSISTANT, content),
                stopReason,
                u,
                logprobs,
                stopReason == StopReason.STOP_SEQUENCE ? stopSequence : null);
    }

    /** A reasoning block's deltas so far. */
    private static final class ReasoningParts {
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder redacted = new StringBuilder();
        private String signature;

        void add(ChatEvent.ReasoningDelta d) {
            if (d.text() != null) {
                text.append(d.text());
            } else if (d.signature() != null) {
                signature = d.signature();
            } else {
                redacted.append(d.redactedBase64());
            }
        }

        ContentBlock.Reasoning block() {
            return redacted.isEmpty()
                    ? ContentBlock.Reasoning.text(text.toString(), signature)
                    : ContentBlock.Reasoning.redacted(redacted.toString());
        }
    }
}

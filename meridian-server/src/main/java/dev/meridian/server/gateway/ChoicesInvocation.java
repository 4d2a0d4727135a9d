package dev.meridian.server.gateway;

import dev.meridian.core.catalog.InvocationTarget;
import dev.meridian.core.chat.ChatResponse;
import dev.meridian.core.chat.Usage;
import dev.meridian.core.route.Routed;
import java.util.List;

/**
 * A finished invocation for several answers (OpenAI's {@code n}), all made at one destination.
 *
 * @param target the resolved model or profile
 * @param routed the answers, in choice order, or the error, with the routing decision
 * @param latencyMs from the start of routing to the last answer
 */
public record ChoicesInvocation(InvocationTarget target, Routed<List<ChatResponse>> routed, long latencyMs) {

    /** Where the request was processed, or {@code null} if it failed. */
    public String inferenceRegion() {
        return routed.decision().chosenRegion();
    }

    /** What the destination processed for all the answers: each read the prompt and wrote its own output. */
    public Usage processed() {
        int input = 0;
        int output = 0;
        for (ChatResponse r : routed.result()) {
            input += r.usage().inputTokens();
            output += r.usage().outputTokens();
        }
        return new Usage(input, output);
    }
}

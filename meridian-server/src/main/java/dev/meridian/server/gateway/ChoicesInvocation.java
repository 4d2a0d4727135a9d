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
public record ChoicesInvocation(InvocationTarget target, Routed<List<ChatResponse>> routed, long latencyMs)
        implements WholeInvocation<List<ChatResponse>> {

    /** What a destination processed for {@code answers}: each read the prompt and wrote its own output. */
    public static Usage processed(List<ChatResponse> answers) {
        int input = 0;
        int output = 0;
        for (ChatResponse r : answers) {
            input += r.usage().inputTokens();
            output += r.usage().outputTokens();
        }
        return new Usage(input, output);
    }
}

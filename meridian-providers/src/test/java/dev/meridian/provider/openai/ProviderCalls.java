package dev.meridian.provider.openai;

import dev.meridian.core.chat.ChatRequest;
import dev.meridian.core.chat.InferenceParams;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.provider.ProviderCall;
import java.util.List;
import java.util.Map;

/** The one-message call the provider tests send, where only the upstream's behaviour is under test. */
final class ProviderCalls {
    private ProviderCalls() {}

    /** An in-region call (eu-west-1) of model {@code m} with one user message, {@code text}, and default parameters. */
    static ProviderCall call(String text) {
        return call(text, InferenceParams.DEFAULTS);
    }

    /** As above, with {@code params}. */
    static ProviderCall call(String text, InferenceParams params) {
        return new ProviderCall(
                "eu-west-1",
                "eu-west-1",
                "m",
                new ChatRequest(List.of(), List.of(Message.text(Role.USER, text)), params, Map.of()));
    }
}

package dev.meridian.server.surface.bedrock;

import dev.meridian.core.error.GatewayException;

/** Picks the native body format of a foundation model by its provider prefix. */
final class NativeFormats {
    private static final NativeFormat NOVA = new NovaFormat();
    private static final NativeFormat ANTHROPIC = new AnthropicFormat();

    private NativeFormats() {}

    /** Anthropic's Messages body, which Bedrock's Messages endpoint also takes (see {@link MessagesRequest}). */
    static NativeFormat anthropic() {
        return ANTHROPIC;
    }

    /**
     * The format of {@code modelId}.
     *
     * @throws GatewayException VALIDATION for families whose native body this gateway does not translate yet
     */
    static NativeFormat of(String modelId) {
        if (modelId.startsWith("amazon.nova")) {
            return NOVA;
        }
        if (modelId.startsWith("anthropic.")) {
            return ANTHROPIC;
        }
        throw GatewayException.validation("InvokeModel with the native body of " + modelId
                + " is not supported by this gateway yet; use Converse, which works with every model.");
    }
}

package dev.meridian.server.surface.openai;

import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.error.GatewayException;
import java.util.Base64;

/**
 * What a Responses API reasoning item's {@code encrypted_content} carries: the destination's proof of its thinking,
 * so that a caller who keeps no state with the gateway can send signed thinking back (Anthropic's models refuse a
 * tool result after thinking they cannot verify). Signed thinking is {@code signature:} and the signature, its text
 * staying in the item's {@code reasoning_text}; redacted thinking, already encrypted by the model's provider, is
 * {@code redacted:} and its bytes in base64. Nothing is encrypted by the gateway: it keeps no key, and what it hands
 * out is what the destination signed or encrypted.
 */
final class SealedThinking {
    private static final String SIGNATURE = "signature:";
    private static final String REDACTED = "redacted:";

    private SealedThinking() {}

    /** {@code thinking}'s {@code encrypted_content}, or {@code null} for unsigned thinking (nothing to prove). */
    static String seal(ContentBlock.Reasoning thinking) {
        if (thinking.redactedBase64() != null) {
            return REDACTED + thinking.redactedBase64();
        }
        return thinking.signature() == null ? null : SIGNATURE + thinking.signature();
    }

    /** The encrypted content of a streamed signature or redacted block. */
    static String signature(String signature) {
        return SIGNATURE + signature;
    }

    static String redacted(String base64) {
        return REDACTED + base64;
    }

    /**
     * The thinking a reasoning item sent back holds: {@code text} (its {@code reasoning_text}, {@code null} when it
     * has none) with the signature {@code sealed} carries, or the redacted thinking it carries.
     *
     * @throws GatewayException (400) naming {@code where} when {@code sealed} was not made by this gateway or signed
     *     thinking comes without its text
     */
    static ContentBlock.Reasoning open(String sealed, String text, String where) {
        if (sealed.startsWith(REDACTED)) {
            String base64 = sealed.substring(REDACTED.length());
            if (!base64.isEmpty() && decodes(base64)) {
                return ContentBlock.Reasoning.redacted(base64);
            }
        } else if (sealed.startsWith(SIGNATURE) && sealed.length() > SIGNATURE.length()) {
            if (text == null) {
                throw GatewayException.invalidParameter(
                        where + ".content",
                        where + ": signed thinking needs its text: send the reasoning item back with its"
                                + " reasoning_text content, as the answer gave it.");
            }
            return ContentBlock.Reasoning.text(text, sealed.substring(SIGNATURE.length()));
        }
        throw GatewayException.invalidParameter(
                where + ".encrypted_content",
                where + ".encrypted_content: not thinking this gateway returned; send it back unchanged.");
    }

    private static boolean decodes(String base64) {
        try {
            Base64.getDecoder().decode(base64);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

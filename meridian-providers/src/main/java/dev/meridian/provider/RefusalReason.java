package dev.meridian.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The reason an upstream gave for finding a request invalid, made fit to pass on to the caller. A caller whose
 * prompt is too long for the model needs the model server's words ("maximum context length is 8192 tokens") to fix
 * it, but an upstream's answer is not the gateway's to publish whole: only its error message is taken, and anything
 * in it that locates the upstream (an address, a URL, its host name) or could be a credential is masked, and its
 * length bounded. A validation message can also quote the request (pydantic's {@code input_value=...}, which vLLM's
 * errors carry): the quote is masked too, so no prompt reaches the caller's error, the audit trail or the logs by
 * this way. Upstream answers of any other kind are never passed on.
 */
public final class RefusalReason {
    /** Long enough for any model server's validation message seen; short enough to keep an error readable. */
    static final int MAX_CHARS = 400;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://\\S+");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b");
    /** Full ({@code 2001:db8:0:0:1:2:3:4}) or compressed ({@code fe80::1}) forms; not a time ({@code 12:30:45}). */
    private static final Pattern IPV6 = Pattern.compile(
            "(?i)(?<![\\w:])\\[?(?=[0-9a-f:]*::|(?:[0-9a-f]{1,4}:){4})[0-9a-f:]{3,}(?:%\\w+)?\\]?(?::\\d{1,5})?(?![\\w:])");

    private static final Pattern TOO_LONG = Pattern.compile(
            "(?i)context (?:length|window|size|limit)|maximum context|too many (?:input )?tokens|(?:input|prompt) is too long");

    private static final String QUOTED_INPUT = "input_value=";
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\s]+");

    private RefusalReason() {}

    /**
     * An upstream's JSON error answer to a request it found invalid, as the router's failure: the answer's message, in
     * any of the shapes model servers use (OpenAI's and vLLM's {@code {"error": {"message": ...}}}, older vLLM's
     * {@code {"message": ...}}, Ollama's {@code {"error": "..."}}), masked as {@link #masked} (empty when the body is
     * not such an answer); {@code CONTEXT_EXCEEDED} when its code ({@code context_length_exceeded}, OpenAI's and
     * Azure's) or its message says the request is too long for the model, else {@code INVALID}.
     */
    public static UpstreamException refusalOf(byte[] body, String upstreamHost, String secret) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception notJson) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return refusal("", null);
        }
        JsonNode error = root.path("error");
        JsonNode message = error.isObject() ? error.path("message") : error.isTextual() ? error : root.path("message");
        String code = error.path("code").isTextual() ? error.path("code").asText() : null;
        return refusal(message.isTextual() ? masked(message.asText(), upstreamHost, secret) : "", code);
    }

    /**
     * A refusal with {@code reason} (already masked): {@code CONTEXT_EXCEEDED} when {@code code} is OpenAI's {@code
     * context_length_exceeded} or the reason reads as a model server's "too long" (vLLM's "maximum context length",
     * Bedrock's "Input is too long", Anthropic's "prompt is too long" and "context limit", llama.cpp's "context
     * size"), else {@code INVALID}.
     */
    public static UpstreamException refusal(String reason, String code) {
        boolean tooLong = "context_length_exceeded".equals(code)
                || TOO_LONG.matcher(reason).find();
        return new UpstreamException(tooLong ? FailureKind.CONTEXT_EXCEEDED : FailureKind.INVALID, reason);
    }

    /**
     * {@code raw} on one line, bounded to {@value #MAX_CHARS} characters, with URLs, IP addresses, the upstream's
     * host name and {@code secret} (the gateway's key for it; may be null) masked. Empty for null or blank.
     */
    public static String masked(String raw, String upstreamHost, String secret) {
        if (raw == null || raw.isBlank()) {
            return "";
        }
        String text = withoutQuotedInput(raw);
        if (secret != null && !secret.isEmpty()) {
            text = text.replace(secret, "[redacted]");
        }
        text = URL.matcher(text).replaceAll("[url]");
        text = IPV4.matcher(text).replaceAll("[address]");
        text = IPV6.matcher(text).replaceAll("[address]");
        if (upstreamHost != null && !upstreamHost.isEmpty()) {
            text = Pattern.compile(Pattern.quote(upstreamHost.toLowerCase(Locale.ROOT)), Pattern.CASE_INSENSITIVE)
                    .matcher(text)
                    .replaceAll("[upstream]");
        }
        text = CONTROL.matcher(text).replaceAll(" ").strip();
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
    }

    /**
     * Pydantic's quotes of the value it refused ({@code input_value=<the value>, input_type=list}) masked: up to the
     * {@code input_type} that follows it, or to the end when none does (a value may hold any characters).
     */
    private static String withoutQuotedInput(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int quote = text.indexOf(QUOTED_INPUT, from);
            if (quote < 0) {
                return out.append(text, from, text.length()).toString();
            }
            out.append(text, from, quote + QUOTED_INPUT.length()).append("[masked]");
            int type = text.indexOf(", input_type=", quote);
            if (type < 0) {
                return out.toString();
            }
            from = type;
        }
    }
}

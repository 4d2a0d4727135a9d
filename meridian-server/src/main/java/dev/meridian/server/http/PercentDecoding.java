package dev.meridian.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-decoding of one path segment. Unlike {@link java.net.URLDecoder} it leaves {@code +} alone
 * (that rule is for HTML forms), and it refuses malformed escapes and invalid UTF-8 instead of guessing.
 */
public final class PercentDecoding {
    private PercentDecoding() {}

    /**
     * Decodes {@code segment}.
     *
     * @throws IllegalArgumentException for a truncated or non-hex escape, or bytes that are not UTF-8
     */
    public static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= segment.length()) {
                throw new IllegalArgumentException("truncated percent-escape in path");
            }
            int hi = Character.digit(segment.charAt(i + 1), 16);
            int lo = Character.digit(segment.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("invalid percent-escape in path");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path is not valid UTF-8");
        }
    }
}

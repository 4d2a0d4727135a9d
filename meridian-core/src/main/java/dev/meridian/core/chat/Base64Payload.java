package dev.meridian.core.chat;

import java.util.Base64;

/** The bytes of an attachment sent as base64 (an image, a document), checked against its size limit. */
final class Base64Payload {
    private Base64Payload() {}

    /**
     * Decodes {@code base64} (standard alphabet, padded).
     *
     * @param what what the bytes are, for messages ({@code image}, {@code document})
     * @throws IllegalArgumentException when it is not base64, or decodes to nothing or more than {@code maxBytes}
     */
    static byte[] decode(String base64, int maxBytes, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " bytes are not valid base64");
        }
        if (bytes.length == 0 || bytes.length > maxBytes) {
            throw new IllegalArgumentException(
                    what + " size: " + bytes.length + " bytes (expected: 1 to " + maxBytes + ")");
        }
        return bytes;
    }
}

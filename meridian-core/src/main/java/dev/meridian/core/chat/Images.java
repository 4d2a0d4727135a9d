package dev.meridian.core.chat;

import java.util.Base64;
import java.util.Set;

/** Validation shared by every surface that accepts images: format, base64 and Bedrock's size limit. */
public final class Images {
    /** Formats every surface and provider here can carry. */
    public static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "webp");

    /** Bedrock's per-image limit, 3.75 MB. */
    public static final int MAX_BYTES = 3_750_000;

    private Images() {}

    /**
     * An image block after checking it.
     *
     * @throws IllegalArgumentException naming what is wrong (format, encoding, size)
     */
    public static ContentBlock.Image of(String format, String base64) {
        String f =
                format == null ? "" : format.toLowerCase(java.util.Locale.ROOT).replace("jpg", "jpeg");
        if (!FORMATS.contains(f)) {
            throw new IllegalArgumentException("image format: " + format + " (expected one of png, jpeg, gif, webp)");
        }
        byte[] bytes = Base64Payload.decode(base64, MAX_BYTES, "image");
        return new ContentBlock.Image(f, Base64.getEncoder().encodeToString(bytes));
    }

    /** The MIME type of a format, e.g. {@code image/png}. */
    public static String mediaType(String format) {
        return "image/" + format;
    }
}

package dev.meridian.core.chat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation shared by every surface that accepts documents (Converse's {@code document} blocks): format, name,
 * base64 and Bedrock's limits, and what providers need to pass one on (its MIME type, its text when it has one).
 */
public final class Documents {
    /** Bedrock's document formats. */
    public static final Set<String> FORMATS = Set.of("pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md");

    /** Formats whose bytes are text (UTF-8), which a provider without document support can pass on as text. */
    public static final Set<String> TEXT_FORMATS = Set.of("csv", "html", "txt", "md");

    /** Bedrock's per-document limit, 4.5 MB. */
    public static final int MAX_BYTES = 4_500_000;

    /** Bedrock's limit on documents in one message. */
    public static final int MAX_PER_MESSAGE = 5;

    /**
     * Bedrock's rule for names: alphanumerics, single white-space characters, hyphens, parentheses and square
     * brackets, 1 to 200 of them (a name reaches the model's prompt, so nothing that could read as markup).
     */
    private static final Pattern NAME = Pattern.compile("(?!.*\\s\\s)[A-Za-z0-9\\s\\-()\\[\\]]{1,200}");

    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "pdf", "application/pdf",
            "csv", "text/csv",
            "doc", "application/msword",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xls", "application/vnd.ms-excel",
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "html", "text/html",
            "txt", "text/plain",
            "md", "text/markdown");

    private Documents() {}

    /**
     * A document block after checking it.
     *
     * @throws IllegalArgumentException naming what is wrong (format, name, encoding, size)
     */
    public static ContentBlock.Document of(String format, String name, String base64) {
        String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw new IllegalArgumentException(
                    "document format: " + format + " (expected one of pdf, csv, doc, docx, xls, xlsx, html, txt, md)");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("document name: " + (name == null ? "missing" : "'" + name + "'")
                    + " (expected 1 to 200 letters, digits, single spaces, hyphens, parentheses or square brackets)");
        }
        byte[] bytes = Base64Payload.decode(base64, MAX_BYTES, "document");
        return new ContentBlock.Document(f, name, Base64.getEncoder().encodeToString(bytes));
    }

    /**
     * Checks Bedrock's limit on documents in one message.
     *
     * @throws IllegalArgumentException when one of {@code messages} carries more than {@link #MAX_PER_MESSAGE}
     */
    public static void checkCount(List<Message> messages) {
        for (Message m : messages) { // loops, not a stream: this runs on every request
            int documents = 0;
            for (ContentBlock b : m.content()) {
                documents += b instanceof ContentBlock.Document ? 1 : 0;
            }
            if (documents > MAX_PER_MESSAGE) {
                throw new IllegalArgumentException(
                        "A message can carry at most " + MAX_PER_MESSAGE + " documents; one has " + documents + ".");
            }
        }
    }

    /** The MIME type of a format, e.g. {@code application/pdf}. */
    public static String mediaType(String format) {
        return MEDIA_TYPES.get(format);
    }

    /** The format whose MIME type is {@code mediaType} (e.g. {@code pdf} for {@code application/pdf}), or null. */
    public static String formatOf(String mediaType) {
        for (Map.Entry<String, String> e : MEDIA_TYPES.entrySet()) {
            if (e.getValue().equalsIgnoreCase(mediaType)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * A name Bedrock accepts made from a file name ({@code Q3 report.final.pdf} becomes {@code Q3 report final}):
     * the extension dropped, other characters replaced by spaces, runs of spaces made one, at most 200; a name with
     * nothing left is {@code document}.
     */
    public static String nameFrom(String filename) {
        if (filename == null) {
            return "document";
        }
        int dot = filename.lastIndexOf('.');
        return nameOf(dot > 0 ? filename.substring(0, dot) : filename);
    }

    /** A name Bedrock accepts made from a title, as {@link #nameFrom} does but keeping every word. */
    public static String nameOf(String title) {
        String name = title == null
                ? ""
                : title.replaceAll("[^A-Za-z0-9\\-()\\[\\]]+", " ").trim();
        name = name.length() > 200 ? name.substring(0, 200).trim() : name;
        return name.isEmpty() ? "document" : name;
    }

    /** Whether the document's format is text ({@link #TEXT_FORMATS}), known without decoding it. */
    public static boolean isText(ContentBlock.Document d) {
        return TEXT_FORMATS.contains(d.format());
    }

    /** The document's contents when its format is text ({@link #TEXT_FORMATS}), else {@code null}. */
    public static String text(ContentBlock.Document d) {
        return isText(d) ? new String(Base64.getDecoder().decode(d.base64()), StandardCharsets.UTF_8) : null;
    }

    /** The document's size in bytes (from its padded base64, without decoding it). */
    public static int size(ContentBlock.Document d) {
        String b = d.base64();
        int padding = b.endsWith("==") ? 2 : b.endsWith("=") ? 1 : 0;
        return b.length() / 4 * 3 - padding;
    }
}

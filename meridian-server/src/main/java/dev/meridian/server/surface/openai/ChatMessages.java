package dev.meridian.server.surface.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.chat.ContentBlock;
import dev.meridian.core.chat.Documents;
import dev.meridian.core.chat.Message;
import dev.meridian.core.chat.Role;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat completion request's {@code messages} in the canonical form: system prompts apart, tool calls and their
 * results as content blocks, consecutive messages of one role merged (Bedrock alternates roles strictly), every
 * member read typed ({@link RequestFields}).
 */
final class ChatMessages {
    /** A data URL of an image: its format and its base64 bytes (compiled once: every image part is matched). */
    private static final Pattern IMAGE_DATA_URL = Pattern.compile("data:image/([a-z]+);base64,(.*)", Pattern.DOTALL);

    /** A data URL of any media type: the type and the base64 bytes. */
    private static final Pattern DATA_URL = Pattern.compile("data:([a-zA-Z0-9.+/-]+);base64,(.*)", Pattern.DOTALL);

    private ChatMessages() {}

    /** A tool message answers one tool call, which it must name (OpenAI refuses it otherwise). */
    private static String toolCallId(JsonNode message, int i) {
        String id = RequestFields.requiredString(message, "tool_call_id", "messages[" + i + "].tool_call_id");
        if (id.isEmpty()) {
            throw RequestFields.missing("messages[" + i + "].tool_call_id");
        }
        return id;
    }

    /**
     * The request's conversation: system and developer messages go to {@code system}, the rest become canonical
     * messages. As OpenAI does, it may hold system messages only, or start with an assistant message (a destination
     * that cannot serve such a conversation, Bedrock's Converse, passes it by).
     *
     * @throws GatewayException for a message the gateway cannot carry, naming it
     */
    static List<Message> of(JsonNode root, List<String> system) {
        JsonNode node = RequestFields.nonEmptyArray(root, "messages", "messages", Integer.MAX_VALUE);
        if (node == null) {
            throw RequestFields.missing("messages");
        }
        List<Message> out = new ArrayList<>();
        ToolCallPairing pairing = new ToolCallPairing();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String role = m.path("role").asText();
            if (!role.equals("tool")) {
                pairing.closeTurn();
            }
            switch (role) {
                case "system", "developer" -> system.add(text(m.get("content"), i));
                case "user" -> userContent(m.get("content"), i).forEach(b -> append(out, Role.USER, b));
                case "assistant" -> {
                    List<ContentBlock> blocks = new ArrayList<>();
                    List<String> callIds = new ArrayList<>();
                    JsonNode content = m.get("content");
                    if (content != null && !content.isNull()) {
                        blocks.add(new ContentBlock.Text(text(content, i)));
                    }
                    JsonNode calls = RequestFields.nonEmptyArray(
                            m, "tool_calls", "messages[" + i + "].tool_calls", Integer.MAX_VALUE);
                    for (int j = 0; calls != null && j < calls.size(); j++) {
                        String where = "messages[" + i + "].tool_calls[" + j + "]";
                        JsonNode call = calls.get(j);
                        String type = RequestFields.string(call, "type", where + ".type");
                        if (type != null && !type.equals("function")) {
                            throw GatewayException.validation(where + ".type: '" + type + "' (expected: function).");
                        }
                        JsonNode function = RequestFields.object(call, "function", where + ".function");
                        if (function == null) {
                            throw RequestFields.missing(where + ".function");
                        }
                        String arguments = RequestFields.string(function, "arguments", where + ".function.arguments");
                        String id = RequestFields.requiredString(call, "id", where + ".id");
                        callIds.add(id);
                        blocks.add(new ContentBlock.ToolUse(
                                id,
                                RequestFields.requiredString(function, "name", where + ".function.name"),
                                arguments(arguments == null ? "{}" : arguments, i)));
                    }
                    if (blocks.isEmpty()) {
                        throw GatewayException.validation(
                                "messages[" + i + "]: an assistant message needs content or tool_calls.");
                    }
                    blocks.forEach(b -> append(out, Role.ASSISTANT, b));
                    pairing.toolCalls(callIds);
                }
                case "tool" -> {
                    String callId = toolCallId(m, i);
                    pairing.toolMessage(callId);
                    append(
                            out,
                            Role.USER,
                            new ContentBlock.ToolResult(
                                    callId, List.of(new ContentBlock.Text(text(m.get("content"), i))), false));
                }
                default ->
                    throw GatewayException.validation("messages[" + i + "].role: '" + role
                            + "' (expected: system, developer, user, assistant or tool).");
            }
        }
        pairing.closeTurn();
        try {
            Documents.checkCount(out);
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalidParameter("messages", e.getMessage());
        }
        return out;
    }

    /** Consecutive messages of one role merge into one canonical message (tool results follow their tool call). */
    static void append(List<Message> out, Role role, ContentBlock block) {
        if (!out.isEmpty() && out.get(out.size() - 1).role() == role) {
            Message last = out.remove(out.size() - 1);
            List<ContentBlock> merged = new ArrayList<>(last.content());
            merged.add(block);
            out.add(new Message(role, merged));
        } else {
            out.add(new Message(role, List.of(block)));
        }
    }

    /** A user message's text, {@code image_url} and {@code file} parts (data URLs only: nothing is fetched). */
    private static List<ContentBlock> userContent(JsonNode content, int i) {
        if (content == null || !content.isArray()) {
            return List.of(new ContentBlock.Text(text(content, i)));
        }
        List<ContentBlock> blocks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String where = "messages[" + i + "].content[" + j + "]";
            String type = part.path("type").asText();
            if (type.equals("text")) {
                text.append(RequestFields.requiredString(part, "text", where + ".text"));
            } else if (type.equals("image_url")) {
                if (!text.isEmpty()) {
                    blocks.add(new ContentBlock.Text(text.toString()));
                    text.setLength(0);
                }
                JsonNode image = RequestFields.object(part, "image_url", where + ".image_url");
                if (image == null) {
                    throw RequestFields.missing(where + ".image_url");
                }
                blocks.add(dataUrlImage(
                        RequestFields.requiredString(image, "url", where + ".image_url.url"),
                        "messages[" + i + "].content"));
            } else if (type.equals("file")) {
                if (!text.isEmpty()) {
                    blocks.add(new ContentBlock.Text(text.toString()));
                    text.setLength(0);
                }
                blocks.add(file(part, where, i));
            } else {
                throw GatewayException.validation(
                        "messages[" + i + "].content: part type '" + type + "' is not supported by this gateway yet.");
            }
        }
        if (!text.isEmpty() || blocks.isEmpty()) {
            blocks.add(new ContentBlock.Text(text.toString()));
        }
        return blocks;
    }

    /**
     * A {@code file} part carrying its bytes ({@code file_data}, a data URL) as a document; a {@code file_id} names a
     * file uploaded to OpenAI's Files API, which this gateway does not keep.
     */
    private static ContentBlock file(JsonNode part, String where, int i) {
        JsonNode file = RequestFields.object(part, "file", where + ".file");
        if (file == null) {
            throw RequestFields.missing(where + ".file");
        }
        if (file.hasNonNull("file_id")) {
            throw GatewayException.invalidParameter(
                    where + ".file.file_id",
                    "messages[" + i + "].content: file_id is not supported (this gateway keeps no uploaded files);"
                            + " send the file's bytes as file_data, a data URL.");
        }
        String data = RequestFields.requiredString(file, "file_data", where + ".file.file_data");
        String filename = RequestFields.string(file, "filename", where + ".file.filename");
        return dataUrlDocument(data, filename, "messages[" + i + "].content");
    }

    /**
     * A document given as a data URL ({@code file_data}) and an optional file name; {@code context} names where it
     * stands in the request's own terms.
     */
    static ContentBlock dataUrlDocument(String data, String filename, String context) {
        Matcher m = DATA_URL.matcher(data);
        String format = m.matches() ? Documents.formatOf(m.group(1)) : null;
        if (format == null) {
            throw GatewayException.validation(context + ": file_data must be a data URL of a"
                    + " document (data:application/pdf;base64,...; pdf, csv, doc, docx, xls, xlsx, html, txt, md).");
        }
        try {
            return Documents.of(format, Documents.nameFrom(filename), m.group(2));
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(context + ": " + e.getMessage() + ".");
        }
    }

    /** An image given as a data URL; {@code context} names where it stands in the request's own terms. */
    static ContentBlock dataUrlImage(String url, String context) {
        Matcher m = IMAGE_DATA_URL.matcher(url);
        if (!m.matches()) {
            throw GatewayException.validation(context + ": image_url must be a data URL "
                    + "(data:image/png;base64,...); the gateway does not fetch remote images.");
        }
        try {
            return dev.meridian.core.chat.Images.of(m.group(1), m.group(2));
        } catch (IllegalArgumentException e) {
            throw GatewayException.validation(context + ": " + e.getMessage() + ".");
        }
    }

    private static String text(JsonNode content, int i) {
        if (content == null || content.isNull()) {
            throw GatewayException.validation("messages[" + i + "].content is required.");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                if (!"text".equals(part.path("type").asText())) {
                    throw GatewayException.validation("messages[" + i + "].content: part type '"
                            + part.path("type").asText() + "' is not supported by this gateway yet.");
                }
                sb.append(RequestFields.requiredString(part, "text", "messages[" + i + "].content[" + j + "].text"));
            }
            return sb.toString();
        }
        throw GatewayException.validation("messages[" + i + "].content must be a string or an array of parts.");
    }

    private static String arguments(String json, int i) {
        try {
            JsonNode args = Json.readRequest(json);
            if (args == null || !args.isObject()) {
                throw GatewayException.validation("messages[" + i + "].tool_calls: arguments must be a JSON object.");
            }
            return args.toString();
        } catch (IOException e) {
            throw GatewayException.validation("messages[" + i + "].tool_calls: arguments are not valid JSON.");
        }
    }
}

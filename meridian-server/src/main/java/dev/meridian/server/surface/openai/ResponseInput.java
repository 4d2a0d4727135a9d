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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Responses API request's {@code input} in the canonical form: a string is one user message; a list holds
 * messages (system and developer ones become system prompts), the {@code function_call} items of earlier answers
 * and their {@code function_call_output}s. Reasoning items sent back with their {@code encrypted_content} are the
 * destination's signed or redacted thinking again ({@link SealedThinking}); without it they are skipped (no
 * destination reads thinking it did not sign). Items that refer to stored state ({@code item_reference}) are
 * refused: this gateway stores no responses, so a conversation is carried by the caller, whole, in every request.
 */
final class ResponseInput {
    private ResponseInput() {}

    /** The conversation; {@code system} receives the system and developer messages' text. */
    static List<Message> of(JsonNode root, List<String> system) {
        JsonNode input = root.get("input");
        if (input == null || input.isNull()) {
            throw RequestFields.missing("input");
        }
        if (input.isTextual()) {
            return List.of(new Message(Role.USER, List.of(new ContentBlock.Text(input.textValue()))));
        }
        if (!input.isArray()) {
            throw RequestFields.invalidType("input", "a string or an array of input items", input);
        }
        List<Message> out = new ArrayList<>();
        Set<String> unanswered = new LinkedHashSet<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String where = "input[" + i + "]";
            if (!item.isObject()) {
                throw RequestFields.invalidType(where, "an object", item);
            }
            String type = item.has("type") ? RequestFields.requiredString(item, "type", where + ".type") : "message";
            switch (type) {
                case "message" -> {
                    answered(unanswered);
                    message(item, where, out, system);
                }
                case "function_call" -> {
                    String callId = RequestFields.requiredString(item, "call_id", where + ".call_id");
                    String name = RequestFields.requiredString(item, "name", where + ".name");
                    String arguments = RequestFields.requiredString(item, "arguments", where + ".arguments");
                    unanswered.add(callId);
                    ChatMessages.append(
                            out, Role.ASSISTANT, new ContentBlock.ToolUse(callId, name, object(arguments, where)));
                }
                case "function_call_output" -> {
                    String callId = RequestFields.requiredString(item, "call_id", where + ".call_id");
                    if (!unanswered.remove(callId)) {
                        throw GatewayException.invalidParameter(
                                "input", "No tool call found for function call output with call_id " + callId + ".");
                    }
                    ChatMessages.append(
                            out,
                            Role.USER,
                            new ContentBlock.ToolResult(callId, toolOutput(item.get("output"), where), false));
                }
                case "reasoning" -> {
                    ContentBlock.Reasoning thinking = reasoning(item, where);
                    if (thinking != null) {
                        ChatMessages.append(out, Role.ASSISTANT, thinking);
                    }
                }
                case "item_reference" ->
                    throw GatewayException.invalidParameter(
                            where,
                            where + ": item_reference is not supported (this gateway stores no responses); send the"
                                    + " items themselves.");
                default ->
                    throw GatewayException.invalidParameter(
                            where + ".type",
                            where + ".type: '" + type + "' is not supported by this gateway (expected: message,"
                                    + " function_call, function_call_output or reasoning).");
            }
        }
        answered(unanswered);
        if (out.isEmpty() && system.isEmpty()) {
            throw GatewayException.invalidParameter("input", "input: the conversation is empty.");
        }
        try {
            Documents.checkCount(out);
        } catch (IllegalArgumentException e) {
            throw GatewayException.invalidParameter("input", e.getMessage());
        }
        return out;
    }

    /**
     * The thinking a reasoning item sent back carries, or {@code null} when it carries no {@code encrypted_content}
     * (unsigned thinking, or an answer given without the {@code include}): skipped.
     */
    private static ContentBlock.Reasoning reasoning(JsonNode item, String where) {
        String sealed = RequestFields.string(item, "encrypted_content", where + ".encrypted_content");
        JsonNode content = item.get("content");
        String text = null;
        if (content != null && !content.isNull()) {
            if (!content.isArray()) {
                throw RequestFields.invalidType(where + ".content", "an array of reasoning_text parts", content);
            }
            if (!content.isEmpty()) {
                text = text(content, where + ".content", "reasoning_text");
            }
        }
        JsonNode summary = item.get("summary");
        if (summary != null && !summary.isNull() && !summary.isArray()) {
            throw RequestFields.invalidType(where + ".summary", "an array of summary_text parts", summary);
        }
        if (summary != null && !summary.isEmpty()) {
            String summarized = text(summary, where + ".summary", "summary_text");
            text = text != null ? text : summarized; // the thinking, when it came back as a summary only
        }
        return sealed == null ? null : SealedThinking.open(sealed, text, where);
    }

    /** Every function call must be answered before the conversation goes on, as every destination requires. */
    private static void answered(Set<String> unanswered) {
        if (!unanswered.isEmpty()) {
            throw GatewayException.invalidParameter(
                    "input",
                    "No tool output found for function call "
                            + unanswered.iterator().next() + ".");
        }
    }

    private static void message(JsonNode item, String where, List<Message> out, List<String> system) {
        String role = RequestFields.requiredString(item, "role", where + ".role");
        JsonNode content = item.get("content");
        if (content == null || content.isNull()) {
            throw RequestFields.missing(where + ".content");
        }
        switch (role) {
            case "system", "developer" -> system.add(text(content, where + ".content", "input_text"));
            case "assistant" -> {
                String text = text(content, where + ".content", "output_text");
                if (!text.isEmpty()) { // an earlier answer that only called tools; no destination takes blank text
                    ChatMessages.append(out, Role.ASSISTANT, new ContentBlock.Text(text));
                }
            }
            case "user" -> userContent(content, where).forEach(b -> ChatMessages.append(out, Role.USER, b));
            default ->
                throw GatewayException.invalidParameter(
                        where + ".role",
                        where + ".role: '" + role + "' (expected: user, assistant, system or developer).");
        }
    }

    /**
     * A message's text: a string, or its text parts joined ({@code input_text}; an assistant's earlier answer also
     * {@code output_text} and {@code refusal}).
     */
    private static String text(JsonNode content, String path, String partType) {
        if (content.isTextual()) {
            return content.textValue();
        }
        if (!content.isArray()) {
            throw RequestFields.invalidType(path, "a string or an array of content parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String at = path + "[" + j + "]";
            String type = RequestFields.requiredString(part, "type", at + ".type");
            if (type.equals("input_text") || type.equals(partType)) {
                text.append(RequestFields.requiredString(part, "text", at + ".text"));
            } else if (type.equals("refusal") && partType.equals("output_text")) {
                text.append(RequestFields.requiredString(part, "refusal", at + ".refusal"));
            } else {
                throw unsupportedPart(at, type);
            }
        }
        return text.toString();
    }

    /** A user message's text, images and files (data URLs only: nothing is fetched, no uploaded file is kept). */
    private static List<ContentBlock> userContent(JsonNode content, String where) {
        if (content.isTextual()) {
            return List.of(new ContentBlock.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw RequestFields.invalidType(where + ".content", "a string or an array of content parts", content);
        }
        List<ContentBlock> blocks = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            blocks.add(part(content.get(j), where + ".content[" + j + "]"));
        }
        if (blocks.isEmpty()) {
            blocks.add(new ContentBlock.Text(""));
        }
        return blocks;
    }

    private static ContentBlock part(JsonNode part, String at) {
        String type = RequestFields.requiredString(part, "type", at + ".type");
        switch (type) {
            case "input_text" -> {
                return new ContentBlock.Text(RequestFields.requiredString(part, "text", at + ".text"));
            }
            case "input_image" -> {
                refuseFileId(part, at);
                String url = RequestFields.string(part, "image_url", at + ".image_url");
                if (url == null) {
                    throw RequestFields.missing(at + ".image_url");
                }
                RequestFields.string(part, "detail", at + ".detail");
                return ChatMessages.dataUrlImage(url, at);
            }
            case "input_file" -> {
                refuseFileId(part, at);
                if (part.hasNonNull("file_url")) {
                    throw GatewayException.invalidParameter(
                            at + ".file_url",
                            at + ": file_url is not supported (the gateway fetches nothing); send"
                                    + " the file's bytes as file_data, a data URL.");
                }
                String data = RequestFields.requiredString(part, "file_data", at + ".file_data");
                return ChatMessages.dataUrlDocument(data, RequestFields.string(part, "filename", at + ".filename"), at);
            }
            default -> throw unsupportedPart(at, type);
        }
    }

    private static void refuseFileId(JsonNode part, String at) {
        if (part.hasNonNull("file_id")) {
            throw GatewayException.invalidParameter(
                    at + ".file_id",
                    at + ": file_id is not supported (this gateway keeps no uploaded files); send the"
                            + " bytes as a data URL.");
        }
    }

    /** A function call's output: a string, or text parts joined. */
    private static List<ContentBlock> toolOutput(JsonNode output, String where) {
        if (output == null || output.isNull()) {
            throw RequestFields.missing(where + ".output");
        }
        return List.of(new ContentBlock.Text(text(output, where + ".output", "input_text")));
    }

    /** A function call's arguments: a JSON object, as every destination takes a tool's input. */
    private static String object(String arguments, String where) {
        try {
            JsonNode args = Json.readRequest(arguments);
            if (args != null && args.isObject()) {
                return args.toString();
            }
        } catch (IOException e) {
            // refused below
        }
        throw GatewayException.invalidParameter(
                where + ".arguments", where + ".arguments: must be a JSON object, as a string.");
    }

    private static GatewayException unsupportedPart(String at, String type) {
        return GatewayException.invalidParameter(
                at + ".type", at + ".type: '" + type + "' is not supported by this gateway.");
    }
}

package dev.meridian.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.document.Document;

/** Converts between JSON text and AWS SDK {@link Document}s (the SDK has no public JSON reader or writer for them). */
final class DocumentJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DocumentJson() {}

    static String write(Document d) {
        try {
            return MAPPER.writeValueAsString(node(d));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Document read(String json) {
        try {
            return document(MAPPER.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    private static Document document(JsonNode n) {
        if (n == null || n.isNull()) {
            return Document.fromNull();
        }
        if (n.isBoolean()) {
            return Document.fromBoolean(n.booleanValue());
        }
        if (n.isNumber()) {
            return Document.fromNumber(n.decimalValue().toPlainString());
        }
        if (n.isTextual()) {
            return Document.fromString(n.textValue());
        }
        if (n.isArray()) {
            java.util.List<Document> list = new java.util.ArrayList<>();
            n.forEach(x -> list.add(document(x)));
            return Document.fromList(list);
        }
        java.util.Map<String, Document> map = new java.util.LinkedHashMap<>();
        n.properties().forEach(e -> map.put(e.getKey(), document(e.getValue())));
        return Document.fromMap(map);
    }

    private static JsonNode node(Document d) {
        if (d == null || d.isNull()) {
            return F.nullNode();
        }
        if (d.isBoolean()) {
            return F.booleanNode(d.asBoolean());
        }
        if (d.isString()) {
            return F.textNode(d.asString());
        }
        if (d.isNumber()) {
            return F.numberNode(d.asNumber().bigDecimalValue());
        }
        if (d.isList()) {
            ArrayNode a = F.arrayNode();
            d.asList().forEach(x -> a.add(node(x)));
            return a;
        }
        ObjectNode o = F.objectNode();
        d.asMap().forEach((k, v) -> o.set(k, node(v)));
        return o;
    }
}

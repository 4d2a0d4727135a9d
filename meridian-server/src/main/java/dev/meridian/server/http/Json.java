package dev.meridian.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The one shared, thread-safe Jackson mapper and helpers to answer with JSON. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /**
     * Reads a request body as exactly one JSON value, stricter than {@link #MAPPER}'s defaults: content after the
     * value ({@code {...} xx}) and an object naming a member twice are errors. A lenient read would serve the first
     * value of {@code {...}{...}} and the last of two {@code "maxTokens"}, so what the gateway processed could differ
     * from what another reader of the same bytes (an invocation log consumer, a policy engine in front) takes them
     * to say.
     *
     * @return the value, or {@code null} for an empty body
     * @throws IOException (a {@link com.fasterxml.jackson.core.JacksonException}) when the body is not one JSON value
     */
    public static JsonNode readRequest(byte[] body) throws IOException {
        try (JsonParser parser = MAPPER.createParser(body)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonNode root = MAPPER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new JsonParseException(parser, "Unexpected content after the JSON value");
            }
            return root;
        }
    }

    /**
     * The first member of {@code object} outside {@code known}, or {@code null}: request bodies refuse members
     * their API does not define (each surface in its own words) rather than ignore a misspelling.
     */
    public static String unknownMember(JsonNode object, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** A set of member names: {@code names} and {@code more} together (an API's members, some of them refused). */
    public static Set<String> members(Collection<String> names, String... more) {
        return Stream.concat(names.stream(), Stream.of(more)).collect(Collectors.toUnmodifiableSet());
    }

    /** {@link #readRequest(byte[])} of JSON carried as a string inside a body (tool arguments, a schema). */
    public static JsonNode readRequest(String json) throws IOException {
        return readRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static HttpResponse response(HttpStatus status, Object body) {
        return HttpResponse.of(
                ResponseHeaders.of(status, com.linecorp.armeria.common.HttpHeaderNames.CONTENT_TYPE, MediaType.JSON),
                HttpData.wrap(bytes(body)));
    }

    public static HttpResponse ok(Object body) {
        return response(HttpStatus.OK, body);
    }
}

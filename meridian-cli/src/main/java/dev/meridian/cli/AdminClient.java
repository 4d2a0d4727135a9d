package dev.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking calls to a running gateway's admin API; the CLI has nothing else to do meanwhile. */
final class AdminClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminClient() {}

    static JsonNode get(String endpoint, String path) {
        return send(endpoint, path, "GET", null);
    }

    static JsonNode send(String endpoint, String path, String method, String body) {
        URI uri = URI.create(endpoint.replaceAll("/+$", "") + "/meridian/admin/" + path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        try {
            HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = Json.MAPPER.readTree(res.body());
            if (res.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + res.statusCode() + ": "
                        + json.path("error").asText(res.body()));
            }
            return json;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot reach " + uri + " (" + reason(e) + "); is `meridian serve` running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Why a call failed, in words: the JDK's client throws a ConnectException without a message when refused. */
    private static String reason(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

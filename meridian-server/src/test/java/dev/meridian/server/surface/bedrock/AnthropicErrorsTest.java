package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import dev.meridian.server.http.Json;
import org.junit.jupiter.api.Test;

/** How a Messages stream that failed after its first byte ends: Anthropic's {@code error} event. */
class AnthropicErrorsTest {
    private static JsonNode ending(Throwable cause) throws Exception {
        String[] lines = AnthropicErrors.streamFailure(cause).toStringUtf8().split("\n");
        assertThat(lines[0]).isEqualTo("event: error");
        return Json.MAPPER.readTree(lines[1].substring("data: ".length()));
    }

    @Test
    void aDestinationThatFailsMidStream_isRateLimitedOrOverloaded_andAnythingElseTheGatewaysOwnError()
            throws Exception {
        JsonNode throttled = ending(new UpstreamException(FailureKind.THROTTLED, "429 from eu-west-1"));
        JsonNode down = ending(new UpstreamException(FailureKind.UNAVAILABLE, "connection reset"));
        JsonNode bug = ending(new IllegalStateException("oops"));

        assertThat(throttled.path("type").asText()).isEqualTo("error");
        assertThat(throttled.at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(throttled.at("/error/message").asText())
                .isEqualTo("The model stream failed after it started: 429 from eu-west-1.");
        assertThat(down.at("/error/type").asText()).isEqualTo("overloaded_error");
        assertThat(bug.at("/error/type").asText()).isEqualTo("api_error");
        assertThat(bug.at("/error/message").asText()).isEqualTo("The stream failed inside the gateway.");
    }
}

package dev.meridian.server.surface;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.error.GatewayException;
import dev.meridian.server.auth.ApiKey;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.auth.Caller;
import dev.meridian.server.config.ConfigLoader;
import dev.meridian.server.surface.bedrock.BedrockErrors;
import dev.meridian.server.surface.openai.OpenAiErrors;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The prologue every surface shares: body, caller, and failures in the surface's own format. */
class AuthenticatedRequestsTest {
    private static final Catalog CATALOG = ConfigLoader.defaults().catalog();
    private static final String KEY = "test-key";

    private final Authenticator callers = new Authenticator(
            new AuthSettings(List.of(), List.of(new ApiKey(KEY, "alice", "eu-west-1")), Duration.ofMinutes(5), false),
            "eu-central-1",
            Clock.systemUTC());
    private final AuthenticatedRequests bedrock =
            new AuthenticatedRequests(callers, () -> CATALOG, "bedrock", BedrockErrors::of);
    private final AuthenticatedRequests openAi =
            new AuthenticatedRequests(callers, () -> CATALOG, "bedrock", OpenAiErrors::of);

    @Test
    void theOperationGetsTheAuthenticatedCallerAndTheWholeBody() {
        AtomicReference<Caller> seen = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();

        AggregatedHttpResponse response = call(bedrock, KEY, (caller, b) -> {
            seen.set(caller);
            body.set(new String(b, StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(HttpResponse.of("ok"));
        });

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(seen.get().principal()).isEqualTo("alice");
        assertThat(seen.get().sourceRegion()).isEqualTo("eu-west-1");
        assertThat(body.get()).isEqualTo("{\"hello\":1}");
    }

    @Test
    void anUnauthenticatedCallNeverReachesTheOperation() {
        AtomicReference<Boolean> reached = new AtomicReference<>(false);

        AggregatedHttpResponse response = call(bedrock, "wrong-key", (caller, b) -> {
            reached.set(true);
            return CompletableFuture.completedFuture(HttpResponse.of("ok"));
        });

        assertThat(reached.get()).isFalse();
        assertThat(response.status().code()).isEqualTo(403);
        assertThat(response.headers().get("x-amzn-ErrorType")).isNotBlank();
    }

    @Test
    void aThrownGatewayExceptionIsRenderedInTheSurfacesFormat() {
        AggregatedHttpResponse bedrockAnswer = call(bedrock, KEY, (caller, b) -> {
            throw GatewayException.validation("bad field");
        });
        AggregatedHttpResponse openAiAnswer = call(openAi, KEY, (caller, b) -> {
            throw GatewayException.validation("bad field");
        });

        assertThat(bedrockAnswer.status().code()).isEqualTo(400);
        assertThat(bedrockAnswer.headers().get("x-amzn-ErrorType")).isEqualTo("ValidationException");
        assertThat(bedrockAnswer.contentUtf8()).isEqualTo("{\"message\":\"bad field\"}");
        assertThat(openAiAnswer.status().code()).isEqualTo(400);
        assertThat(openAiAnswer.contentUtf8()).contains("\"error\"").contains("bad field");
    }

    @Test
    void anUnexpectedFailureLaterIsAnInternalErrorWithoutItsDetails() {
        AggregatedHttpResponse response = call(
                bedrock,
                KEY,
                (caller, b) -> CompletableFuture.failedFuture(
                        new CompletionException(new IllegalStateException("secret internals"))));

        assertThat(response.status().code()).isEqualTo(500);
        assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("InternalServerException");
        assertThat(response.contentUtf8()).doesNotContain("secret internals").doesNotContain("Exception:");
    }

    private static AggregatedHttpResponse call(
            AuthenticatedRequests requests, String key, AuthenticatedRequests.Operation operation) {
        HttpRequest req = HttpRequest.of(
                RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions")
                        .contentType(MediaType.JSON)
                        .add("authorization", "Bearer " + key)
                        .build(),
                HttpData.ofUtf8("{\"hello\":1}"));
        ServiceRequestContext ctx = ServiceRequestContext.of(req);
        return requests.serve(ctx, req, operation).aggregate().join();
    }
}

package dev.meridian.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.route.FailureKind;
import dev.meridian.core.route.UpstreamException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamStatusTest {
    private static final byte[] BODY =
            "{\"error\":{\"message\":\"temperature must be at most 2, at https://llm.internal:8000\"}}"
                    .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "400, INVALID",
        "413, INVALID",
        "422, INVALID",
        "429, THROTTLED",
        "408, TIMEOUT",
        "401, SERVER_ERROR",
        "402, SERVER_ERROR",
        "403, SERVER_ERROR",
        "404, SERVER_ERROR",
        "405, SERVER_ERROR",
        "410, SERVER_ERROR",
        "415, SERVER_ERROR",
        "500, SERVER_ERROR",
        "502, SERVER_ERROR",
        "503, SERVER_ERROR",
        "409, REJECTED",
        "418, REJECTED",
        "451, REJECTED"
    })
    void eachStatus_isClassifiedForTheRouter(int code, FailureKind kind) {
        assertThat(UpstreamStatus.of(code, BODY, "llm.internal", "sk-upstream").kind())
                .isEqualTo(kind);
    }

    /** A deployment or account fault is another region's chance: failed over, and counted against this one. */
    @Test
    void aWrongAddressOrAccount_failsOverAndCountsAgainstTheDestination() {
        for (int code : new int[] {401, 402, 403, 404, 405, 408, 410, 415}) {
            FailureKind kind =
                    UpstreamStatus.of(code, BODY, "llm.internal", "sk-upstream").kind();
            assertThat(kind.retryable()).as("%d retried elsewhere", code).isTrue();
            assertThat(kind.countsAgainstTheDestination())
                    .as("%d counted", code)
                    .isTrue();
        }
    }

    /** Only an invalid request's verdict carries the server's words, masked; no other status reads the body. */
    @Test
    void onlyAnInvalidRequest_carriesTheUpstreamsReason() {
        UpstreamException invalid = UpstreamStatus.of(400, BODY, "llm.internal", "sk-upstream");
        assertThat(invalid.getMessage())
                .contains("temperature must be at most 2")
                .doesNotContain("llm.internal");
        for (int code : new int[] {401, 404, 408, 409, 429, 500}) {
            assertThat(UpstreamStatus.of(code, BODY, "llm.internal", "sk-upstream")
                            .getMessage())
                    .doesNotContain("temperature")
                    .doesNotContain("llm.internal")
                    .contains(String.valueOf(code));
        }
    }
}

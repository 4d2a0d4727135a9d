package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.server.auth.AuthSettings;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * A model's context window (the catalog's {@code contextTokens}): the embedded simulator, standing in for the model,
 * refuses what does not fit, and the caller gets a 400 in its own API's format saying why, from the AWS SDK for Java
 * v2 and the official OpenAI Java client. A user's catalog entry narrows Nova Pro's window to 200 tokens; Claude
 * Haiku 4.5 keeps the published 200,000.
 */
class ContextWindowIT {
    static final String EU_NOVA_PRO = "eu.amazon.nova-pro-v1:0";
    static MeridianServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.start("""
                catalog:
                  models:
                    - {id: "amazon.nova-pro-v1:0", name: "Nova Pro", provider: Amazon, regions: [eu-west-1], maxOutputTokens: 100, contextTokens: 200}
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static String words(int n) {
        return "word ".repeat(n).strip();
    }

    static ConverseResponse converse(String modelId, String text, Integer maxTokens) {
        try (BedrockRuntimeClient client = TestGateways.runtime(gateway, "eu-west-1")) {
            return client.converse(b -> {
                b.modelId(modelId).messages(ToolUseIT.user(text));
                if (maxTokens != null) {
                    b.inferenceConfig(c -> c.maxTokens(maxTokens));
                }
            });
        }
    }

    @Test
    void aPromptLongerThanTheWindow_isAValidationException_wholeAndStreamed() {
        assertThatThrownBy(() -> converse(EU_NOVA_PRO, words(250), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .matches("The request does not fit the context window of the model in eu-[a-z]+-\\d: Input"
                                    + " is too long for requested model: the prompt is 250 tokens, the model's context"
                                    + " window 200\\.");
                });
        assertThatThrownBy(() -> TestGateways.streamEu(gateway, "eu-west-1", words(250), b -> b.modelId(EU_NOVA_PRO)))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("the prompt is 250 tokens, the model's context window 200.");
    }

    @Test
    void whatFits_isServed_andTheOutputLimitCountsToo() {
        ConverseResponse fits = converse(EU_NOVA_PRO, words(100), 100);
        assertThat(fits.usage().inputTokens()).isEqualTo(100);
        assertThatThrownBy(() -> converse(EU_NOVA_PRO, words(101), 100))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("exceed the model's context window: 101 + 100 > 200 tokens");
    }

    /** The published window of Claude Haiku 4.5, 200,000 tokens, from the OpenAI surface. */
    @Test
    void thePublishedWindow_holdsForAnOpenAiCaller() {
        var client = TestGateways.openAi(gateway, AuthSettings.DEMO_API_KEY);
        var params = ChatCompletionCreateParams.builder()
                .model("eu.anthropic.claude-haiku-4-5-20251001-v1:0")
                .addUserMessage(words(200_000))
                .build();
        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.type()).hasValue("invalid_request_error");
                    assertThat(e.code()).hasValue("context_length_exceeded");
                    assertThat(e.param()).hasValue("messages");
                    assertThat(e.getMessage())
                            .contains("Input is too long for requested model: the prompt is 200000 tokens, the"
                                    + " model's context window 200000.");
                });
        assertThat(client.chat()
                        .completions()
                        .create(params.toBuilder()
                                .messages(java.util.List.of())
                                .addUserMessage(words(1_000))
                                .build())
                        .choices())
                .isNotEmpty();
    }
}

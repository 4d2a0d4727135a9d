package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.sim.RegionSimulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Images (base64) through the Bedrock SDK and the OpenAI SDK. */
class ImageInputIT {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};

    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @Test
    void converse_withAnImage_countsItsTokens() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            var r = client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                    .messages(Message.builder()
                            .role(ConversationRole.USER)
                            .content(
                                    ContentBlock.fromText("What is in this picture?"),
                                    ContentBlock.fromImage(ImageBlock.builder()
                                            .format(ImageFormat.PNG)
                                            .source(s -> s.bytes(SdkBytes.fromByteArray(PNG)))
                                            .build()))
                            .build()));
            assertThat(r.usage().inputTokens()).isGreaterThan(RegionSimulator.IMAGE_TOKENS);
        }
    }

    /** Bedrock's limit: 20 images per message. */
    @Test
    void converse_21ImagesInAMessage_isRefused() {
        ContentBlock image = ContentBlock.fromImage(ImageBlock.builder()
                .format(ImageFormat.PNG)
                .source(s -> s.bytes(SdkBytes.fromByteArray(PNG)))
                .build());
        java.util.List<ContentBlock> content = new java.util.ArrayList<>(java.util.Collections.nCopies(20, image));
        content.add(ContentBlock.fromText("Which of these is a cat?"));
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            var twenty = Message.builder()
                    .role(ConversationRole.USER)
                    .content(content)
                    .build();
            assertThat(client.converse(
                                    b -> b.modelId("eu.amazon.nova-2-lite-v1:0").messages(twenty))
                            .usage()
                            .inputTokens())
                    .isGreaterThan(20 * RegionSimulator.IMAGE_TOKENS);
            content.add(image);
            var twentyOne = Message.builder()
                    .role(ConversationRole.USER)
                    .content(content)
                    .build();
            assertThatThrownBy(() -> client.converse(
                            b -> b.modelId("eu.amazon.nova-2-lite-v1:0").messages(twentyOne)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("messages[0]: a message can carry at most 20 images; this one has 21.");
        }
    }

    @Test
    void converse_imageFromS3_isRefusedNamingTheSource() {
        try (var client = TestGateways.runtime(gateway.server(), "eu-central-1")) {
            assertThatThrownBy(() -> client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0")
                            .messages(Message.builder()
                                    .role(ConversationRole.USER)
                                    .content(ContentBlock.fromImage(ImageBlock.builder()
                                            .format(ImageFormat.PNG)
                                            .source(s -> s.s3Location(l -> l.uri("s3://bucket/key.png")))
                                            .build()))
                                    .build())))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("s3Location");
        }
    }

    static ChatCompletionCreateParams withImage(String url) {
        return ChatCompletionCreateParams.builder()
                .model("eu.amazon.nova-2-lite-v1:0")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("Describe")
                                .build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url(url)
                                        .build())
                                .build())))
                .build();
    }

    @Test
    void openAi_dataUrlImage_isAccepted_remoteUrlRefused() {
        var client = TestGateways.openAi(gateway.server(), AuthSettings.DEMO_API_KEY);
        var ok = client.chat()
                .completions()
                .create(withImage(
                        "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(PNG)));
        assertThat(ok.usage().orElseThrow().promptTokens()).isGreaterThan(RegionSimulator.IMAGE_TOKENS);
        assertThatThrownBy(() -> client.chat().completions().create(withImage("https://example.com/cat.png")))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("data URL");
    }
}

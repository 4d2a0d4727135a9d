package dev.meridian.server.surface.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimePathTest {
    @Test
    void splitsModelIdAndOperation_ignoringTheQuery() {
        RuntimePath p = RuntimePath.parse("/model/eu.amazon.nova-2-lite-v1:0/converse-stream?x=1");
        assertThat(p.encodedModelId()).isEqualTo("eu.amazon.nova-2-lite-v1:0");
        assertThat(p.operation()).isEqualTo(RuntimeOperation.CONVERSE_STREAM);
    }

    @Test
    void decodesAnEncodedArnWhole() {
        RuntimePath p = RuntimePath.parse(
                "/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A1%3Ainference-profile%2Feu.amazon.nova-2-lite-v1%3A0/invoke");
        assertThat(p.modelId()).isEqualTo("arn:aws:bedrock:eu-west-1:1:inference-profile/eu.amazon.nova-2-lite-v1:0");
        assertThat(p.operation()).isEqualTo(RuntimeOperation.INVOKE_MODEL);
    }

    @Test
    void unknownSegment_hasNoOperation() {
        assertThat(RuntimePath.parse("/model/m/explode").operation()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/model/converse", "/model//converse", "/model/", "/models/m/converse", "/", "/model"})
    void notARuntimePath(String path) {
        assertThat(RuntimePath.parse(path)).isNull();
    }

    @Test
    void malformedEscape_isRefusedOnDecoding() {
        RuntimePath p = RuntimePath.parse("/model/%C3%28/converse");
        assertThat(p.encodedModelId()).isEqualTo("%C3%28");
        assertThatThrownBy(p::modelId).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyOperationIsFoundByItsSegment_andOnlyStreamsAreNotWhole() {
        assertThat(RuntimeOperation.ofSegment("converse")).isEqualTo(RuntimeOperation.CONVERSE);
        assertThat(RuntimeOperation.ofSegment("invoke-with-response-stream"))
                .isEqualTo(RuntimeOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM);
        assertThat(RuntimeOperation.ofSegment("Converse")).isNull();
        assertThat(RuntimeOperation.CONVERSE.answeredWhole()).isTrue();
        assertThat(RuntimeOperation.INVOKE_MODEL.answeredWhole()).isTrue();
        assertThat(RuntimeOperation.CONVERSE_STREAM.answeredWhole()).isFalse();
        assertThat(RuntimeOperation.INVOKE_MODEL_WITH_RESPONSE_STREAM.answeredWhole())
                .isFalse();
    }
}

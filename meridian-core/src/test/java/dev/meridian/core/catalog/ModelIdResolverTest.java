package dev.meridian.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.error.ErrorKind;
import dev.meridian.core.error.GatewayException;
import dev.meridian.core.testing.EuropeCatalog;
import org.junit.jupiter.api.Test;

class ModelIdResolverTest {
    final ModelIdResolver resolver = ModelIdResolver.of(EuropeCatalog.create(), "111122223333");

    @Test
    void resolve_bareModelId_isInRegion() {
        InvocationTarget t = resolver.resolve(EuropeCatalog.MODEL, "eu-central-1");
        assertThat(t.viaProfile()).isFalse();
        assertThat(t.model().id()).isEqualTo(EuropeCatalog.MODEL);
    }

    @Test
    void resolve_profileId_viaProfile() {
        assertThat(resolver.resolve("eu." + EuropeCatalog.MODEL, "eu-central-1")
                        .profile()
                        .id())
                .isEqualTo("eu." + EuropeCatalog.MODEL);
    }

    @Test
    void resolve_profileArnOfSourceRegion_viaProfile() {
        String arn = "arn:aws:bedrock:eu-west-1:111122223333:inference-profile/eu." + EuropeCatalog.MODEL;
        assertThat(resolver.resolve(arn, "eu-west-1").profile().id()).isEqualTo("eu." + EuropeCatalog.MODEL);
    }

    @Test
    void resolve_foundationModelArn_isInRegion() {
        String arn = "arn:aws:bedrock:eu-west-1::foundation-model/" + EuropeCatalog.MODEL;
        assertThat(resolver.resolve(arn, "eu-west-1").viaProfile()).isFalse();
    }

    @Test
    void resolve_arnOfAnotherRegion_isValidation() {
        String arn = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/eu." + EuropeCatalog.MODEL;
        assertThatThrownBy(() -> resolver.resolve(arn, "eu-west-1"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION));
    }

    @Test
    void resolve_arnOfAnotherAccount_isNotFound() {
        String arn = "arn:aws:bedrock:eu-west-1:999999999999:inference-profile/eu." + EuropeCatalog.MODEL;
        assertThatThrownBy(() -> resolver.resolve(arn, "eu-west-1"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void resolve_systemProfileNamedAsApplicationProfile_isNotFound() {
        String arn = "arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/eu." + EuropeCatalog.MODEL;
        assertThatThrownBy(() -> resolver.resolve(arn, "eu-west-1"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void resolve_unknownWellFormedId_isNotFound() {
        assertThatThrownBy(() -> resolver.resolve("vendor.unknown-v1:0", "eu-west-1"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void resolve_malformedId_isValidation() {
        for (String bad : new String[] {"", "has space", "arn:aws:s3:::bucket", "x".repeat(3000), "a/b"}) {
            assertThatThrownBy(() -> resolver.resolve(bad, "eu-west-1"))
                    .isInstanceOfSatisfying(
                            GatewayException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.VALIDATION));
        }
    }
}

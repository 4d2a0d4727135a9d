package dev.meridian.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.provider.openai.UpstreamProtocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void defaults_areLoopbackSimulatedAndMirrorAws() {
        MeridianConfig c = ConfigLoader.defaults();
        assertThat(c.server().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.server().homeRegion()).isEqualTo("eu-central-1");
        assertThat(c.catalog().regionIds())
                .contains(
                        "eu-central-1",
                        "eu-west-1",
                        "eu-west-3",
                        "eu-north-1",
                        "eu-south-1",
                        "eu-south-2",
                        "eu-west-2",
                        "eu-central-2",
                        "us-east-1",
                        "us-east-2",
                        "us-west-2",
                        "ap-northeast-1",
                        "ap-southeast-2");
        assertThat(c.catalog().profile("eu.amazon.nova-2-lite-v1:0")).isPresent();
        assertThat(c.catalog().profile("global.amazon.nova-2-lite-v1:0")).isPresent();
        assertThat(c.catalog().region("eu-west-2").orElseThrow().euMemberState())
                .isFalse();
        assertThat(c.catalog().region("eu-central-2").orElseThrow().euMemberState())
                .isFalse();
    }

    @Test
    void userCatalog_addsGeographyRegionAndProfile() {
        MeridianConfig c = ConfigLoader.fromYaml("""
                catalog:
                  geographies:
                    - {id: dach, displayName: "Germany, Austria, Switzerland", associates: [], externalSources: not-offered}
                  regions:
                    - {id: eu-central-1, displayName: "Europe (Frankfurt)", country: DE, euMemberState: true, geographies: [eu, dach], latitude: 50.11, longitude: 8.68}
                    - {id: eu-central-2, displayName: "Europe (Zurich)", country: CH, euMemberState: false, geographies: [dach], latitude: 47.37, longitude: 8.54}
                    - {id: onprem-vienna, displayName: "Vienna DC", country: AT, euMemberState: true, geographies: [eu, dach], latitude: 48.2, longitude: 16.37}
                  models:
                    - {id: "amazon.nova-2-lite-v1:0", name: "Nova 2 Lite", provider: Amazon, regions: [onprem-vienna]}
                  profiles:
                    - {geography: dach, model: "amazon.nova-2-lite-v1:0", name: "DACH Nova 2 Lite", regions: [eu-central-1, eu-central-2, onprem-vienna]}
                """);
        assertThat(c.catalog()
                        .profile("dach.amazon.nova-2-lite-v1:0")
                        .orElseThrow()
                        .regions())
                .containsExactlyInAnyOrder("eu-central-1", "eu-central-2", "onprem-vienna");
        assertThat(c.catalog().model("amazon.nova-2-lite-v1:0").orElseThrow().regions())
                .contains("onprem-vienna", "us-east-1");
        // the published EU profile keeps its set: the new region needs a new profile id to be a destination
        assertThat(c.catalog()
                        .profile("eu.amazon.nova-2-lite-v1:0")
                        .orElseThrow()
                        .regions())
                .doesNotContain("onprem-vienna");
    }

    @Test
    void modelOutputLimits_comeFromTheCatalog_andAUserEntryMayChangeThem() {
        assertThat(ConfigLoader.defaults()
                        .catalog()
                        .model("amazon.nova-pro-v1:0")
                        .orElseThrow()
                        .maxOutputTokens())
                .isEqualTo(10_000);
        MeridianConfig c = ConfigLoader.fromYaml("""
                catalog:
                  models:
                    - {id: "amazon.nova-2-lite-v1:0", name: "Nova 2 Lite", provider: Amazon, regions: [eu-west-1]}
                    - {id: "amazon.nova-pro-v1:0", name: "Nova Pro", provider: Amazon, regions: [eu-west-1], maxOutputTokens: 2000}
                    - {id: "vendor.own-v1:0", name: "Own", provider: Vendor, regions: [eu-west-1]}
                """);
        assertThat(c.catalog().model("amazon.nova-2-lite-v1:0").orElseThrow().maxOutputTokens())
                .as("not stated: the default catalog's limit stays")
                .isEqualTo(65_536);
        assertThat(c.catalog().model("amazon.nova-pro-v1:0").orElseThrow().maxOutputTokens())
                .isEqualTo(2_000);
        assertThat(c.catalog().model("vendor.own-v1:0").orElseThrow().allowsOutput(1_000_000))
                .as("no limit stated, none enforced")
                .isTrue();
        assertThatThrownBy(
                        () -> ConfigLoader.fromYaml(
                                "catalog: {models: [{id: \"v.m-v1:0\", name: M, provider: V, regions: [eu-west-1], maxOutputTokens: 0}]}"))
                .hasMessageContaining("maxOutputTokens: 0 (expected: an integer in 1..10000000)");
    }

    @Test
    void userCatalog_contextWindow_defaultsToThePublishedOne_andHoldsTheOutputLimit() {
        assertThat(ConfigLoader.fromYaml("").catalog().contextTokens("anthropic.claude-haiku-4-5-20251001-v1:0"))
                .isEqualTo(200_000);
        MeridianConfig c = ConfigLoader.fromYaml("""
                catalog:
                  models:
                    - {id: "amazon.nova-2-lite-v1:0", name: "Nova 2 Lite", provider: Amazon, regions: [eu-west-1]}
                    - {id: "amazon.nova-pro-v1:0", name: "Nova Pro", provider: Amazon, regions: [eu-west-1], maxOutputTokens: 2000, contextTokens: 32000}
                    - {id: "vendor.own-v1:0", name: "Own", provider: Vendor, regions: [eu-west-1]}
                """);
        assertThat(c.catalog().contextTokens("amazon.nova-2-lite-v1:0")).isEqualTo(1_000_000);
        assertThat(c.catalog().contextTokens("amazon.nova-pro-v1:0")).isEqualTo(32_000);
        assertThat(c.catalog().contextTokens("vendor.own-v1:0"))
                .as("not stated")
                .isZero();
        assertThat(c.catalog().contextTokens("vendor.unknown-v1:0")).isZero();
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "catalog: {models: [{id: \"amazon.nova-pro-v1:0\", name: N, provider: A, regions: [eu-west-1],"
                                + " contextTokens: 5000}]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("maxOutputTokens: 10000 (expected: at most contextTokens, 5000)");
    }

    @Test
    void userCatalog_changingAPublishedProfileSet_isRefused() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("""
                catalog:
                  profiles:
                    - {geography: eu, model: "amazon.nova-2-lite-v1:0", name: "EU Nova", regions: [eu-central-1]}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("eu.amazon.nova-2-lite-v1:0")
                .hasMessageContaining("publish a new profile id");
    }

    @Test
    void badValues_nameTheFieldTheValueAndTheExpectation() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {port: 70000}"))
                .hasMessageContaining("server.port: 70000 (expected: an integer in 0..65535)");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("routing: {attemptTimeout: soon}"))
                .hasMessageContaining("routing.attemptTimeout: \"soon\" (expected: a duration");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("simulator: {defaults: {capacity: -1}}"))
                .hasMessageContaining("simulator.defaults.capacity: -1");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {homeRegion: mars-1}"))
                .hasMessageContaining("server.homeRegion: mars-1");
        assertThatThrownBy(() -> ConfigLoader.fromYaml(
                        "catalog: {regions: [{id: x-1, displayName: X, country: XX, geographies: [nowhere]}]}"))
                .hasMessageContaining("geographies: nowhere");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("simulator: {regions: {mars-1: {capacity: 3}}}"))
                .hasMessageContaining("simulator.regions.mars-1");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: [1, 2")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {maxConnections: 0}"))
                .hasMessageContaining("server.maxConnections: 0 (expected: an integer in 1..");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {requestBodyTimeout: 10ms}"))
                .hasMessageContaining("server.requestBodyTimeout: PT0.01S (expected: a duration of at least 100ms)");
    }

    @Test
    void idleTimeout_defaultsToFifteenSeconds() {
        assertThat(ConfigLoader.defaults().server().idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(ConfigLoader.fromYaml("server: {idleTimeout: 2s}").server().idleTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {idleTimeout: 10ms}"))
                .hasMessageContaining("server.idleTimeout: PT0.01S (expected: a duration of at least 100ms)");
    }

    @Test
    void shutdownGracePeriod_defaultsToThirtySeconds_andZeroStopsAtOnce() {
        assertThat(ConfigLoader.defaults().server().shutdownGracePeriod()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(ConfigLoader.fromYaml("server: {shutdownGracePeriod: 0s}")
                        .server()
                        .shutdownGracePeriod())
                .isZero();
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {shutdownGracePeriod: -5s}"))
                .hasMessageContaining("server.shutdownGracePeriod: PT-5S (expected: a duration, 0s or more)");
    }

    /** A misspelt key was ignored in silence, leaving the default in force; now every one is named, with a hint. */
    @Test
    void unknownKeys_areRefused_eachNamedWithTheKeyMeant() {
        assertThatThrownBy(() -> ConfigLoader.fromYaml("""
                        server: {prot: 8099, requestBodyTimout: 1s}
                        routing: {maxAtempts: 2}
                        simulator: {regions: {eu-west-1: {capacty: 4}}}
                        upstreams:
                          - {region: eu-west-1, model: "*", provider: openai-compatible, baseUrl: "http://x", modelName: m, azureApiVerson: "2024-10-21"}
                        audti: {}
                        """))
                .hasMessageContaining("config.server.prot: unknown key (did you mean 'port'?)")
                .hasMessageContaining(
                        "config.server.requestBodyTimout: unknown key (did you mean 'requestBodyTimeout'?)")
                .hasMessageContaining("config.routing.maxAtempts: unknown key (did you mean 'maxAttempts'?)")
                .hasMessageContaining(
                        "config.simulator.regions.eu-west-1.capacty: unknown key (did you mean 'capacity'?)")
                .hasMessageContaining(
                        "config.upstreams[0].azureApiVerson: unknown key (did you mean 'azureApiVersion'?)")
                .hasMessageContaining("config.audti: unknown key (did you mean 'auth'?)");
        assertThatThrownBy(() -> ConfigLoader.fromYaml("server: {xyzzy: 1}"))
                .hasMessageContaining("config.server.xyzzy: unknown key (known here: [")
                .hasMessageContaining("bindAddress");
    }

    @Test
    void upstreamProtocol_defaultsToAuto_isNamedForOpenAiCompatibleUpstreamsOnly() {
        String vllm = "upstreams: [{region: eu-west-1, model: \"*\", baseUrl: \"http://10.0.0.5:8000/v1\","
                + " modelName: m%s}]";
        assertThat(ConfigLoader.fromYaml(vllm.formatted("")).upstreams().get(0).protocol())
                .isEqualTo(UpstreamProtocol.AUTO);
        assertThat(ConfigLoader.fromYaml(vllm.formatted(", protocol: http1"))
                        .upstreams()
                        .get(0)
                        .protocol())
                .isEqualTo(UpstreamProtocol.HTTP1);
        assertThatThrownBy(() -> ConfigLoader.fromYaml(vllm.formatted(", protocol: h2c")))
                .hasMessageContaining("upstreams[](eu-west-1).protocol: \"h2c\" (expected: auto, http1 or http2)");
        // the AWS SDK's client negotiates by itself: a protocol on a Bedrock upstream would be ignored, so it is
        // refused
        assertThatThrownBy(() ->
                        ConfigLoader.fromYaml("upstreams: [{region: eu-west-1, provider: bedrock, protocol: http1}]"))
                .hasMessageContaining("config.upstreams[0].protocol: unknown key");
    }

    @Test
    void requestBodyTimeout_defaultsToAMinute() {
        assertThat(ConfigLoader.defaults().server().requestBodyTimeout()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(ConfigLoader.fromYaml("server: {requestBodyTimeout: 5s}")
                        .server()
                        .requestBodyTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void maxConnections_defaultsToAQuarterOfTheOpenFileLimit() {
        assertThat(ConfigLoader.defaults().server().maxConnections()).isEqualTo(ConnectionLimit.byDefault());
        assertThat(ConfigLoader.fromYaml("server: {maxConnections: 50}")
                        .server()
                        .maxConnections())
                .isEqualTo(50);
        assertThat(ConnectionLimit.forFileLimit(1_048_576)).isEqualTo(262_144);
        assertThat(ConnectionLimit.forFileLimit(20_000)).isEqualTo(5_000);
        assertThat(ConnectionLimit.forFileLimit(1024)).isEqualTo(256);
        assertThat(ConnectionLimit.forFileLimit(-1)).isEqualTo(ConnectionLimit.FALLBACK);
    }

    @Test
    void routing_durationsParse() {
        MeridianConfig c = ConfigLoader.fromYaml("routing: {maxAttempts: 2, attemptTimeout: 500ms, totalTimeout: 2m}");
        assertThat(c.routing().maxAttempts()).isEqualTo(2);
        assertThat(c.routing().attemptTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.routing().totalTimeout()).isEqualTo(Duration.ofMinutes(2));
    }
}

package dev.meridian.server.config;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.route.RetryBudget;
import dev.meridian.server.auth.AuthSettings;
import dev.meridian.sim.ServingProfile;
import java.util.Map;
import java.util.Objects;

/**
 * Validated start-up configuration: parsed once, immutable afterwards.
 *
 * @param server where to listen and who this gateway is
 * @param catalog the topology
 * @param rttOverrides measured round trips ("a|b" to milliseconds) that replace the distance estimate
 * @param routing the failover budget
 * @param simulator the embedded simulator's settings
 * @param auth who may call the gateway
 * @param upstreams real model servers for some destinations; every other destination is simulated
 * @param governance policies, stores and audit settings
 */
public record MeridianConfig(
        Server server,
        Catalog catalog,
        Map<String, Double> rttOverrides,
        RetryBudget routing,
        Simulator simulator,
        AuthSettings auth,
        java.util.List<Upstream> upstreams,
        Governance governance) {

    /** A configuration with the default governance (no policies, embedded stores). */
    public MeridianConfig(
            Server server,
            Catalog catalog,
            Map<String, Double> rttOverrides,
            RetryBudget routing,
            Simulator simulator,
            AuthSettings auth,
            java.util.List<Upstream> upstreams) {
        this(server, catalog, rttOverrides, routing, simulator, auth, upstreams, Governance.defaults());
    }

    public MeridianConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(catalog, "catalog");
        rttOverrides = Map.copyOf(rttOverrides);
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(simulator, "simulator");
        Objects.requireNonNull(auth, "auth");
        upstreams = java.util.List.copyOf(upstreams);
        Objects.requireNonNull(governance, "governance");
        for (Upstream u : upstreams) {
            if (catalog.region(u.region()).isEmpty()) {
                throw new ConfigException("upstreams[" + u.region() + "].region: " + u.region() + " (unknown region)");
            }
            if (!u.model().equals("*")
                    && !catalog.model(u.model())
                            .map(m -> m.servedIn(u.region()))
                            .orElse(false)) {
                throw new ConfigException("upstreams[" + u.region() + "].model: " + u.model()
                        + " (expected: a model the catalog says " + u.region() + " serves, or *)");
            }
        }
        if (catalog.region(server.homeRegion()).isEmpty()) {
            throw new ConfigException(
                    "server.homeRegion: " + server.homeRegion() + " (expected: a region of the catalog)");
        }
        for (var key : auth.apiKeys()) {
            if (catalog.region(key.region()).isEmpty()) {
                throw new ConfigException("auth.apiKeys[" + key.principal() + "].region: " + key.region()
                        + " (expected: a region of the catalog)");
            }
        }
    }

    /**
     * @param bindAddress the address to listen on; loopback by default
     * @param port the TCP port; 0 picks a free one
     * @param homeRegion the source region of requests whose credentials name none
     * @param accountId the 12-digit account id used in ARNs
     * @param maxRequestBytes the largest request body accepted
     * @param maxConnections the most client connections open at once; beyond it new connections are closed at
     *     once, so that a flood of connections cannot exhaust the file descriptors the upstream connections and
     *     the audit store need
     * @param requestBodyTimeout how long a caller may take to send a request body (see
     *     {@link dev.meridian.server.http.BodyDeadline})
     * @param idleTimeout how long a client connection may stay open without a request in progress, including
     *     one whose request headers have not all arrived; then it is closed
     * @param shutdownGracePeriod on stop, how long requests in progress may take to finish before the server closes
     *     regardless ({@code 0}: close at once)
     * @param dataDirectory where the embedded store keeps its files
     * @param tls HTTPS settings, or {@code null} for plain HTTP; with a CA, clients must present certificates
     */
    public record Server(
            String bindAddress,
            int port,
            String homeRegion,
            String accountId,
            int maxRequestBytes,
            int maxConnections,
            java.time.Duration requestBodyTimeout,
            java.time.Duration idleTimeout,
            java.time.Duration shutdownGracePeriod,
            java.nio.file.Path dataDirectory,
            TlsSettings tls) {
        public Server {
            if (port < 0 || port > 65535) {
                throw new ConfigException("server.port: " + port + " (expected: 0..65535)");
            }
            if (accountId == null || !accountId.matches("[0-9]{12}")) {
                throw new ConfigException("server.accountId: " + accountId + " (expected: 12 digits)");
            }
            if (maxRequestBytes < 1024) {
                throw new ConfigException("server.maxRequestBytes: " + maxRequestBytes + " (expected: >= 1024)");
            }
            if (maxConnections < 1) {
                throw new ConfigException("server.maxConnections: " + maxConnections + " (expected: >= 1)");
            }
            if (requestBodyTimeout == null || requestBodyTimeout.toMillis() < 100) {
                throw new ConfigException("server.requestBodyTimeout: " + requestBodyTimeout
                        + " (expected: a duration of at least 100ms)");
            }
            if (idleTimeout == null || idleTimeout.toMillis() < 100) {
                throw new ConfigException(
                        "server.idleTimeout: " + idleTimeout + " (expected: a duration of at least 100ms)");
            }
            if (shutdownGracePeriod == null || shutdownGracePeriod.isNegative()) {
                throw new ConfigException(
                        "server.shutdownGracePeriod: " + shutdownGracePeriod + " (expected: a duration, 0s or more)");
            }
        }

        public Server withDataDirectory(java.nio.file.Path directory) {
            return new Server(
                    bindAddress,
                    port,
                    homeRegion,
                    accountId,
                    maxRequestBytes,
                    maxConnections,
                    requestBodyTimeout,
                    idleTimeout,
                    shutdownGracePeriod,
                    directory,
                    tls);
        }

        public Server withTls(TlsSettings newTls) {
            return new Server(
                    bindAddress,
                    port,
                    homeRegion,
                    accountId,
                    maxRequestBytes,
                    maxConnections,
                    requestBodyTimeout,
                    idleTimeout,
                    shutdownGracePeriod,
                    dataDirectory,
                    newTls);
        }

        public Server withPort(int newPort) {
            return new Server(
                    bindAddress,
                    newPort,
                    homeRegion,
                    accountId,
                    maxRequestBytes,
                    maxConnections,
                    requestBodyTimeout,
                    idleTimeout,
                    shutdownGracePeriod,
                    dataDirectory,
                    tls);
        }
    }

    /**
     * @param timeScale multiplies every simulated delay (1 = real time)
     * @param defaults the serving profile of every destination not listed
     * @param regions per-region serving profiles
     */
    public record Simulator(double timeScale, ServingProfile defaults, Map<String, ServingProfile> regions) {
        public Simulator {
            regions = Map.copyOf(regions);
        }
    }

    public MeridianConfig withPort(int port) {
        return new MeridianConfig(
                server.withPort(port), catalog, rttOverrides, routing, simulator, auth, upstreams, governance);
    }

    public MeridianConfig withDataDirectory(java.nio.file.Path directory) {
        return new MeridianConfig(
                server.withDataDirectory(directory),
                catalog,
                rttOverrides,
                routing,
                simulator,
                auth,
                upstreams,
                governance);
    }

    public MeridianConfig withTls(TlsSettings tls) {
        return new MeridianConfig(
                server.withTls(tls), catalog, rttOverrides, routing, simulator, auth, upstreams, governance);
    }

    public MeridianConfig withSimulator(Simulator newSimulator) {
        return new MeridianConfig(server, catalog, rttOverrides, routing, newSimulator, auth, upstreams, governance);
    }

    public MeridianConfig withRouting(RetryBudget budget) {
        return new MeridianConfig(server, catalog, rttOverrides, budget, simulator, auth, upstreams, governance);
    }

    public MeridianConfig withAuth(AuthSettings newAuth) {
        return new MeridianConfig(server, catalog, rttOverrides, routing, simulator, newAuth, upstreams, governance);
    }

    public MeridianConfig withGovernance(Governance newGovernance) {
        return new MeridianConfig(server, catalog, rttOverrides, routing, simulator, auth, upstreams, newGovernance);
    }

    public MeridianConfig withUpstreams(java.util.List<Upstream> newUpstreams) {
        return new MeridianConfig(server, catalog, rttOverrides, routing, simulator, auth, newUpstreams, governance);
    }

    /**
     * A real model server for one destination. {@link #toString()} never shows the key.
     *
     * @param region the destination region
     * @param model the foundation model id, or {@code *} for every model the region serves
     * @param provider the provider kind: {@code openai-compatible} or {@code bedrock}
     * @param baseUrl the API root, e.g. {@code http://10.0.0.5:8000/v1}; for {@code bedrock} an optional endpoint
     *     override (another Meridian gateway), {@code null} for AWS's regional endpoint
     * @param modelName the upstream's name for the model
     * @param apiKey the OpenAI-compatible credential or {@code null}
     * @param azureApiVersion Azure OpenAI's api-version, or {@code null}
     * @param sendTopK for {@code openai-compatible}: send a request's top-k as {@code top_k} (vLLM and llama.cpp's
     *     server take it; OpenAI and Azure OpenAI refuse it, so it is not sent unless the operator says so)
     * @param protocol for {@code openai-compatible}: the HTTP version spoken to the server ({@code AUTO}: found out)
     * @param accessKeyId for {@code bedrock}: a static access key, or {@code null} for the default credentials chain
     * @param secretAccessKey the secret of {@code accessKeyId}
     * @param tls over HTTPS: the CA to trust (a model server or peer behind a private CA) and the client
     *     certificate (mutual TLS between gateways), or {@code null} for the JVM's defaults
     */
    public record Upstream(
            String region,
            String model,
            String provider,
            java.net.URI baseUrl,
            String modelName,
            String apiKey,
            String azureApiVersion,
            boolean sendTopK,
            dev.meridian.provider.openai.UpstreamProtocol protocol,
            String accessKeyId,
            String secretAccessKey,
            TlsSettings tls) {
        public Upstream {
            java.util.Objects.requireNonNull(protocol, "protocol");
        }

        /** An OpenAI-compatible upstream that is sent no {@code top_k}. */
        public static Upstream openAi(
                String region, String model, java.net.URI baseUrl, String modelName, String apiKey) {
            return openAi(region, model, baseUrl, modelName, apiKey, false);
        }

        /** An OpenAI-compatible upstream, sent a request's top-k as {@code top_k} when {@code sendTopK}. */
        public static Upstream openAi(
                String region, String model, java.net.URI baseUrl, String modelName, String apiKey, boolean sendTopK) {
            return new Upstream(
                    region,
                    model,
                    "openai-compatible",
                    baseUrl,
                    modelName,
                    apiKey,
                    null,
                    sendTopK,
                    dev.meridian.provider.openai.UpstreamProtocol.AUTO,
                    null,
                    null,
                    null);
        }

        /** A Bedrock (or Meridian peer) upstream. */
        public static Upstream bedrock(
                String region, String model, java.net.URI endpoint, String accessKeyId, String secretAccessKey) {
            return new Upstream(
                    region,
                    model,
                    "bedrock",
                    endpoint,
                    model,
                    null,
                    null,
                    false,
                    dev.meridian.provider.openai.UpstreamProtocol.AUTO,
                    accessKeyId,
                    secretAccessKey,
                    null);
        }

        public Upstream withTls(TlsSettings newTls) {
            return new Upstream(
                    region,
                    model,
                    provider,
                    baseUrl,
                    modelName,
                    apiKey,
                    azureApiVersion,
                    sendTopK,
                    protocol,
                    accessKeyId,
                    secretAccessKey,
                    newTls);
        }

        @Override
        public String toString() {
            return "Upstream[" + region + "/" + model + " -> " + provider + " " + baseUrl + ", key="
                    + (apiKey == null && secretAccessKey == null ? "none" : "<redacted>") + "]";
        }
    }
}

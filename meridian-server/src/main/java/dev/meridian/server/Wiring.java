package dev.meridian.server;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.ClientFactoryOptions;
import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.route.DestinationKey;
import dev.meridian.core.route.FailoverInvoker;
import dev.meridian.core.route.LiveSignals;
import dev.meridian.core.route.RoundTripTimes;
import dev.meridian.core.route.Router;
import dev.meridian.provider.Provider;
import dev.meridian.provider.RoutingProvider;
import dev.meridian.provider.bedrock.BedrockProvider;
import dev.meridian.provider.openai.OpenAiCompatibleProvider;
import dev.meridian.provider.openai.OpenAiUpstream;
import dev.meridian.provider.openai.VllmMetricsPoller;
import dev.meridian.provider.sim.SimulatorProvider;
import dev.meridian.server.audit.AuditTrail;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.config.TlsSettings;
import dev.meridian.server.gateway.ApplicationProfiles;
import dev.meridian.server.gateway.Gateway;
import dev.meridian.server.gateway.WheelDeadlines;
import dev.meridian.server.http.SameLoopScheduler;
import dev.meridian.server.http.UpstreamFlushes;
import dev.meridian.server.invocationlog.InvocationLogger;
import dev.meridian.server.invocationlog.LocalBucketSink;
import dev.meridian.server.invocationlog.S3BucketSink;
import dev.meridian.server.observe.GatewayMetrics;
import dev.meridian.server.policy.Authorization;
import dev.meridian.server.store.JdbcProfileStore;
import dev.meridian.sim.RegionSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/**
 * Assembles the gateway's parts from a configuration, without any HTTP: the server and the offline CLI commands
 * ({@code explain}) share it, so both see the same routing.
 */
public final class Wiring implements AutoCloseable {
    private final MeridianConfig config;
    private final AtomicReference<Catalog> catalog;
    private final RoundTripTimes roundTrips;
    private final RegionSimulator simulator;
    private final Router router;
    private final ClientFactory clientFactory;
    private final GatewayMetrics metrics = new GatewayMetrics();
    /** How often OpenAI-compatible upstreams' vLLM metrics are read. */
    private static final Duration METRICS_INTERVAL = Duration.ofSeconds(2);

    private final java.util.List<AutoCloseable> closeables = new java.util.ArrayList<>();
    private final Gateway gateway;
    private final WheelDeadlines deadlines;
    private final JdbcProfileStore store;
    private final InvocationLogger invocationLogger;
    private final ApplicationProfiles profiles;
    private final AuditTrail audit;
    private final Authorization authorization;

    private Wiring(MeridianConfig config) {
        this.config = config;
        this.catalog = new AtomicReference<>(config.catalog());
        this.roundTrips = RoundTripTimes.estimate(config.catalog(), config.rttOverrides());
        RegionSimulator.Builder sim = RegionSimulator.builder(roundTrips)
                .defaults(config.simulator().defaults())
                .timeScale(config.simulator().timeScale())
                .contextTokens(modelId -> catalog.get().contextTokens(modelId));
        config.simulator().regions().forEach(sim::region);
        this.simulator = sim.build();
        this.clientFactory = upstreamClients().build();
        LiveSignals signals = LiveSignals.create();
        Map<DestinationKey, Provider> upstreams = new HashMap<>();
        for (MeridianConfig.Upstream u : config.upstreams()) {
            upstreams.put(new DestinationKey(u.region(), u.model()), provider(u, signals));
        }
        Provider provider = new RoutingProvider(upstreams, new SimulatorProvider(simulator));
        this.router = Router.builder(signals, roundTrips)
                .hints(new Router.CapacityHints() {
                    @Override
                    public int capacity(String region, String modelId) {
                        return provider.capacityHint(region, modelId);
                    }

                    @Override
                    public long tokensPerMinute(String region, String modelId) {
                        return provider.tokensPerMinuteHint(region, modelId);
                    }
                })
                .build();
        this.store = JdbcProfileStore.open(
                config.governance().stores(), config.server().dataDirectory());
        var logSettings = config.governance().invocationLogs();
        this.invocationLogger = new InvocationLogger(
                store,
                logSettings.s3()
                        ? new S3BucketSink(logSettings)
                        : new LocalBucketSink(config.server().dataDirectory().resolve("buckets")),
                config.server().dataDirectory().resolve("invocation-logs"),
                config.server().accountId());
        invocationLogger.loadStored();
        this.audit =
                new AuditTrail(config.governance().stores(), config.server().dataDirectory());
        metrics.watch(audit);
        this.authorization = new Authorization(
                config.governance().policies(),
                config.governance().policyMode(),
                config.server().accountId());
        this.profiles = new ApplicationProfiles(catalog, store, config.server().accountId());
        profiles.loadStored();
        java.util.concurrent.ScheduledExecutorService retention =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                        .name("meridian-audit-retention")
                        .daemon()
                        .unstarted(r));
        retention.scheduleWithFixedDelay(
                () -> {
                    try {
                        audit.applyRetention(
                                config.governance().auditRetention(),
                                config.server().dataDirectory().resolve("audit-archive"),
                                config.server().accountId());
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(Wiring.class)
                                .warn("audit retention run failed: {}", e.getMessage());
                    }
                },
                1,
                10,
                java.util.concurrent.TimeUnit.MINUTES);
        closeables.add(retention::shutdownNow);
        this.deadlines = new WheelDeadlines(10);
        closeables.add(deadlines);
        this.gateway = new Gateway(
                catalog::get,
                config.server().accountId(),
                router,
                new FailoverInvoker(router.signals(), config.routing(), deadlines),
                provider,
                metrics,
                authorization,
                audit::requireWritable);
    }

    private Provider provider(MeridianConfig.Upstream u, LiveSignals signals) {
        if (u.provider().equals("bedrock")) {
            BedrockRuntimeAsyncClient client = BedrockClients.forDestination(u);
            closeables.add(client);
            return new BedrockProvider(client, u.modelName());
        }
        ClientFactory factory = u.tls() == null ? clientFactory : tlsClientFactory(u.tls());
        OpenAiUpstream upstream = new OpenAiUpstream(
                u.baseUrl(),
                u.modelName(),
                u.apiKey(),
                u.azureApiVersion(),
                Duration.ofSeconds(5),
                u.sendTopK(),
                u.protocol());
        if (!u.model().equals(RoutingProvider.ANY_MODEL)) {
            DestinationKey key = new DestinationKey(u.region(), u.model());
            closeables.add(
                    new VllmMetricsPoller(upstream, METRICS_INTERVAL, factory, load -> signals.reported(key, load)));
        }
        return new OpenAiCompatibleProvider(upstream, factory);
    }

    /** How upstream clients are built: calls on the caller's event loop, and writes shared per loop turn. */
    private static ClientFactoryBuilder upstreamClients() {
        return ClientFactory.builder()
                .eventLoopSchedulerFactory(SameLoopScheduler::new)
                .option(ClientFactoryOptions.CHANNEL_PIPELINE_CUSTOMIZER, new UpstreamFlushes());
    }

    /**
     * A client factory like the shared one (same event loops, same scheduling and flushes) that trusts the
     * upstream's CA and presents its client certificate: TLS settings belong to a factory in Armeria, and the
     * shared factory keeps the JVM's defaults for every other upstream.
     */
    private ClientFactory tlsClientFactory(TlsSettings tls) {
        ClientFactory factory = upstreamClients()
                .tlsCustomizer(b -> {
                    if (tls.caFile() != null) {
                        b.trustManager(tls.trustManagers());
                    }
                    if (tls.keyStoreFile() != null) {
                        b.keyManager(tls.keyManagers());
                    }
                })
                .build();
        closeables.add(factory);
        return factory;
    }

    public static Wiring of(MeridianConfig config) {
        return new Wiring(config);
    }

    public MeridianConfig config() {
        return config;
    }

    public Catalog catalog() {
        return catalog.get();
    }

    AtomicReference<Catalog> catalogRef() {
        return catalog;
    }

    public RoundTripTimes roundTrips() {
        return roundTrips;
    }

    public RegionSimulator simulator() {
        return simulator;
    }

    public Router router() {
        return router;
    }

    /** The timer wheel for attempt and request-body deadlines. */
    public WheelDeadlines deadlines() {
        return deadlines;
    }

    public Gateway gateway() {
        return gateway;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public ApplicationProfiles applicationProfiles() {
        return profiles;
    }

    public AuditTrail audit() {
        return audit;
    }

    public InvocationLogger invocationLogger() {
        return invocationLogger;
    }

    public Authorization authorization() {
        return authorization;
    }

    @Override
    public void close() {
        invocationLogger.close();
        store.close();
        audit.close();
        simulator.close();
        clientFactory.close();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing: nothing left to protect
            }
        }
    }
}

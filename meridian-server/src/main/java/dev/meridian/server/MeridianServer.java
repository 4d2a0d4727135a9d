package dev.meridian.server;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.healthcheck.HealthCheckService;
import dev.meridian.server.admin.AdminService;
import dev.meridian.server.audit.AuditWaits;
import dev.meridian.server.audit.AuditingDecorator;
import dev.meridian.server.auth.Authenticator;
import dev.meridian.server.config.ConfigException;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.config.TlsSettings;
import dev.meridian.server.http.AnswerFlushes;
import dev.meridian.server.http.BedrockErrorHandler;
import dev.meridian.server.http.BodyDeadline;
import dev.meridian.server.http.Draining;
import dev.meridian.server.http.RequestIds;
import dev.meridian.server.observe.RequestSpans;
import dev.meridian.server.observe.Tracing;
import dev.meridian.server.surface.bedrock.BedrockRuntimeService;
import dev.meridian.server.surface.bedrock.FoundationModelsService;
import dev.meridian.server.surface.bedrock.InferenceProfilesService;
import dev.meridian.server.surface.bedrock.InvocationLoggingService;
import dev.meridian.server.surface.bedrock.MessagesApiService;
import dev.meridian.server.surface.bedrock.TaggingService;
import dev.meridian.server.surface.cloudtrail.LookupEventsService;
import dev.meridian.server.surface.openai.OpenAiErrorHandler;
import dev.meridian.server.surface.openai.OpenAiService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;

/**
 * A running Meridian gateway: the Bedrock surfaces and the admin API on one Armeria server (HTTP/1.1 and h2c on
 * one port), over the parts {@link Wiring} assembles.
 */
public final class MeridianServer implements AutoCloseable {
    private static final String LEAK_DETECTION = "io.netty.leakDetection.level";
    private final Wiring wiring;
    private final Server server;
    private final Tracing tracing;

    private MeridianServer(Wiring wiring, Server server, Tracing tracing) {
        this.wiring = wiring;
        this.server = server;
        this.tracing = tracing;
    }

    /**
     * Starts a gateway and returns once it is listening; traces as the {@code OTEL_*} environment says
     * ({@link Tracing#fromEnvironment()}).
     */
    public static MeridianServer start(MeridianConfig config) {
        return start(config, Tracing.fromEnvironment());
    }

    /** Starts a gateway that traces through {@code tracing} (closed with the gateway). */
    public static MeridianServer start(MeridianConfig config, Tracing tracing) {
        if (System.getProperty(LEAK_DETECTION) == null) {
            // Netty samples buffers for leak reports by default, recording a stack trace per sampled buffer: a
            // debugging aid that cost ~1.3 % of the gateway's CPU under load. -Dio.netty.leakDetection.level=simple
            // turns it back on.
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        Wiring wiring = Wiring.of(config);
        MeridianConfig.Server settings = config.server();
        InetAddress bind = address(settings.bindAddress());
        if (!bind.isLoopbackAddress() && config.auth().usesDemoCredentials()) {
            throw new ConfigException("auth: the demo credentials are accepted only on loopback; configure "
                    + "auth.accessKeys and auth.apiKeys to listen on " + settings.bindAddress());
        }
        if (!config.governance().policies().enforced()) {
            org.slf4j.LoggerFactory.getLogger(MeridianServer.class)
                    .warn("no policies configured: every authenticated caller may call every operation"
                            + " (define policies: and attach them to keys to enforce least privilege)");
        }
        Authenticator callers = new Authenticator(
                config.auth(),
                settings.homeRegion(),
                Clock.systemUTC(),
                wiring.authorization(),
                wiring.metrics()::authenticationFailed);
        InferenceProfilesService profiles = new InferenceProfilesService(
                callers, wiring::catalog, settings.accountId(), wiring.applicationProfiles());
        FoundationModelsService models = new FoundationModelsService(callers, wiring::catalog);
        TaggingService tagging = new TaggingService(callers, wiring::catalog, wiring.applicationProfiles(), profiles);
        ServerBuilder sb = Server.builder();
        Draining draining = new Draining();
        listen(sb, new InetSocketAddress(bind, settings.port()), settings.tls());
        sb.disableServerHeader() // no product and version for scanners to match against known flaws
                .maxRequestLength(settings.maxRequestBytes())
                .maxNumConnections(settings.maxConnections())
                .idleTimeout(settings.idleTimeout())
                .gracefulShutdownTimeout(
                        drainQuietPeriod(settings.shutdownGracePeriod()), settings.shutdownGracePeriod())
                .serverListener(draining.listener())
                .meterRegistry(wiring.metrics().registry())
                .requestTimeout(config.routing().totalTimeout().plus(Duration.ofSeconds(30)))
                .errorHandler(new BedrockErrorHandler())
                // The gateway's own failures are logged by the surfaces' error handlers, with request ids; what
                // Armeria's reporter would add every 10 s is callers' protocol errors already answered in the API's
                // format (a body over the limit: a 413), each as a WARN with a stack trace.
                .unloggedExceptionsReportInterval(Duration.ZERO)
                .childChannelPipelineCustomizer(AnswerFlushes.pipeline())
                .decorator(AnswerFlushes.decorator())
                .decorator(new RequestIds())
                .decorator(draining)
                .decorator(new BodyDeadline(wiring.deadlines(), settings.requestBodyTimeout()))
                .decorator(new AuditingDecorator(
                        wiring.audit(),
                        settings.accountId(),
                        config.governance().peerPrincipals(),
                        tracing.enabled() ? RequestSpans::auditWait : AuditWaits.NONE))
                .service(
                        "/",
                        new LookupEventsService(
                                callers,
                                wiring::catalog,
                                wiring.audit(),
                                config.governance().auditRetention(),
                                Clock.systemUTC()))
                .serviceUnder(
                        "/model/",
                        new BedrockRuntimeService(
                                wiring.gateway(), callers, wiring::catalog, wiring.invocationLogger()))
                .service("/inference-profiles", profiles)
                .serviceUnder("/inference-profiles/", profiles)
                .service("/foundation-models", models)
                .serviceUnder("/foundation-models/", models)
                .service("/tagResource", tagging)
                .service("/untagResource", tagging)
                .service("/listTagsForResource", tagging)
                .route()
                .pathPrefix(OpenAiService.PREFIX)
                .errorHandler(new OpenAiErrorHandler())
                .build(new OpenAiService(
                        wiring.gateway(), callers, wiring::catalog, wiring.invocationLogger(), "bedrock"))
                .route()
                .pathPrefix(OpenAiService.BEDROCK_PREFIX)
                .errorHandler(new OpenAiErrorHandler())
                .build(new OpenAiService(
                        wiring.gateway(), callers, wiring::catalog, wiring.invocationLogger(), "bedrock-mantle"))
                .route()
                .pathPrefix(MessagesApiService.PREFIX)
                .errorHandler(MessagesApiService.errorHandler())
                .build(new MessagesApiService(wiring.gateway(), callers, wiring::catalog, wiring.invocationLogger()))
                .service(
                        "/logging/modelinvocations",
                        new InvocationLoggingService(callers, wiring::catalog, wiring.invocationLogger()))
                // 200 {"healthy":true} while serving, 503 once a stop begins, so a load balancer's health check
                // takes the gateway out of rotation during its drain instead of when its port closes
                .service("/health", HealthCheckService.builder().build())
                .service(
                        "/metrics",
                        (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(
                                com.linecorp.armeria.common.HttpStatus.OK,
                                com.linecorp.armeria.common.MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                                wiring.metrics().scrape()));
        if (bind.isLoopbackAddress()) {
            sb.serviceUnder(
                    AdminService.PREFIX, new AdminService(wiring.simulator(), wiring.gateway(), wiring::catalog));
        }
        if (tracing.enabled()) {
            sb.decorator(new RequestSpans(tracing)); // a span ends once its answer is sent; the audit's wait is a child
            org.slf4j.LoggerFactory.getLogger(MeridianServer.class)
                    .info("tracing on: spans of API calls are exported over OTLP as the OTEL_* settings say");
        }
        Server server = sb.build();
        server.start().join();
        return new MeridianServer(wiring, server, tracing);
    }

    /** Plain HTTP, or HTTPS when TLS is configured; with a CA, only clients with a certificate it signed connect. */
    private static void listen(ServerBuilder sb, InetSocketAddress address, TlsSettings tls) {
        if (tls == null) {
            sb.http(address);
            return;
        }
        sb.https(address).tls(tls.keyManagers());
        var trust = tls.trustManagers();
        if (trust != null) {
            sb.tlsCustomizer(ssl -> ssl.trustManager(trust).clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE));
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(
                    "server.bindAddress: " + host + " (expected: an IP address or resolvable host name)");
        }
    }

    /**
     * Runs a gateway from a YAML file ({@code args[0]}, or the defaults without arguments) until the process is
     * stopped; prints {@code meridian listening on <endpoint>} once it accepts requests. The CLI's
     * {@code meridian serve} is the friendlier front end; this entry point keeps the server module runnable on
     * its own (the crash-durability test starts and kills it).
     */
    public static void main(String[] args) throws InterruptedException {
        MeridianConfig config = args.length == 0
                ? dev.meridian.server.config.ConfigLoader.defaults()
                : dev.meridian.server.config.ConfigLoader.load(java.nio.file.Path.of(args[0]));
        MeridianServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("meridian listening on " + server.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * On stop, Armeria finishes once no request has been in progress for this long, or at the grace period at the
     * latest. It only has to be above zero (zero stops at once, cutting requests in progress); short, so an idle
     * gateway stops promptly.
     */
    private static Duration drainQuietPeriod(Duration grace) {
        Duration quiet = Duration.ofMillis(200);
        return grace.compareTo(quiet) < 0 ? grace : quiet;
    }

    /** The port the gateway listens on (useful with port 0). */
    public int port() {
        return server.activeLocalPort();
    }

    /** {@code http://<bind>:<port>}. */
    public String endpoint() {
        String host = wiring.config().server().bindAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (wiring.config().server().tls() == null ? "http://" : "https://") + host + ":" + port();
    }

    public Wiring wiring() {
        return wiring;
    }

    @Override
    public void close() {
        server.stop().join();
        wiring.close();
        tracing.close();
    }
}

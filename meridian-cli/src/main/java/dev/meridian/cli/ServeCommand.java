package dev.meridian.cli;

import dev.meridian.server.MeridianServer;
import dev.meridian.server.config.MeridianConfig;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meridian serve}: starts the gateway and runs until interrupted. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start the gateway (embedded default: simulated regions, loopback only).")
final class ServeCommand implements Runnable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOption config;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "N",
            description = "TCP port (default: from config, else 8080; 0 = any free port).")
    Integer port;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public void run() {
        MeridianConfig c = config.load();
        if (port != null) {
            c = c.withPort(port);
        }
        MeridianServer server = MeridianServer.start(c);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            log.info("stopped");
                            Logging.stop();
                            stopped.countDown();
                        },
                        "meridian-shutdown"));
        printBanner(spec.commandLine().getOut(), server);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
    }

    static void printBanner(PrintWriter out, MeridianServer server) {
        String endpoint = server.endpoint();
        String home = server.wiring().config().server().homeRegion();
        out.printf("""
                Meridian is listening on %s (home region %s, %d regions, simulated upstreams).

                Call it with the AWS CLI (any credentials; the region you sign for is your source region):
                  AWS_ACCESS_KEY_ID=AKIAMERIDIANDEMO AWS_SECRET_ACCESS_KEY=meridian-demo-secret \\
                  aws bedrock-runtime converse --endpoint-url %s --region eu-south-1 \\
                    --model-id eu.amazon.nova-2-lite-v1:0 \\
                    --messages '[{"role":"user","content":[{"text":"Hello from Milan"}]}]'

                Or with the AWS SDK for Java v2:
                  BedrockRuntimeClient client = BedrockRuntimeClient.builder()
                      .endpointOverride(URI.create("%s"))
                      .region(Region.EU_SOUTH_1)
                      .credentialsProvider(StaticCredentialsProvider.create(
                          AwsBasicCredentials.create("AKIAMERIDIANDEMO", "meridian-demo-secret")))
                      .build();
                  client.converse(b -> b.modelId("eu.amazon.nova-2-lite-v1:0").messages(Message.builder()
                      .role(ConversationRole.USER).content(ContentBlock.fromText("Hello")).build()));

                The response header x-meridian-inference-region names the region that processed each request.
                Press Ctrl-C to stop.
                %n""", endpoint, home, server.wiring().catalog().regions().size(), endpoint, endpoint);
        out.flush();
    }
}

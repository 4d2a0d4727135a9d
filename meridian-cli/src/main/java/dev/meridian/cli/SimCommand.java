package dev.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meridian sim}: the running gateway's simulator switches (outages and capacity crunches), a simulated
 * region served on its own, and the routing lab ({@code sim run}).
 */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = "Simulated regions: control a running gateway's, serve one, or run the routing lab.",
        subcommands = {
            SimRunCommand.class,
            SimCommand.Status.class,
            SimCommand.Down.class,
            SimCommand.Up.class,
            SimCommand.Capacity.class,
            SimCommand.Serve.class
        })
final class SimCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class Action implements Runnable {
        @Option(
                names = {"-e", "--endpoint"},
                defaultValue = "http://127.0.0.1:8080",
                paramLabel = "URL",
                description = "The gateway (default: ${DEFAULT-VALUE}).")
        String endpoint;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        abstract JsonNode call();

        @Override
        public void run() {
            JsonNode regions = call();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-16s %-28s %-6s %-9s %s%n", "REGION", "NAME", "STATE", "CAPACITY", "PROCESSED");
            for (JsonNode r : regions.path("regions")) {
                out.printf(
                        "%-16s %-28s %-6s %-9s %d%n",
                        r.path("region").asText(),
                        r.path("displayName").asText(),
                        r.path("down").asBoolean() ? "DOWN" : "up",
                        r.has("capacityOverride") ? r.path("capacityOverride").asText() : "config",
                        r.path("processed").asLong());
            }
            out.flush();
        }
    }

    @Command(name = "status", description = "Show every region's simulated state.")
    static final class Status extends Action {
        @Override
        JsonNode call() {
            return AdminClient.get(endpoint, "regions");
        }
    }

    @Command(name = "down", description = "Take a region down: requests to it fail like refused connections.")
    static final class Down extends Action {
        @Parameters(paramLabel = "REGION")
        String region;

        @Override
        JsonNode call() {
            return AdminClient.send(endpoint, "regions/" + region + "/down", "POST", null);
        }
    }

    @Command(name = "up", description = "Bring a region back.")
    static final class Up extends Action {
        @Parameters(paramLabel = "REGION")
        String region;

        @Override
        JsonNode call() {
            return AdminClient.send(endpoint, "regions/" + region + "/up", "POST", null);
        }
    }

    @Command(
            name = "capacity",
            description = "Set a region's capacity (concurrent sequences per model); 'reset' restores it.")
    static final class Capacity extends Action {
        @Parameters(index = "0", paramLabel = "REGION")
        String region;

        @Parameters(index = "1", paramLabel = "N|reset")
        String value;

        @Override
        JsonNode call() {
            if (value.equals("reset")) {
                return AdminClient.send(endpoint, "regions/" + region + "/capacity", "DELETE", null);
            }
            int n = Integer.parseInt(value);
            return AdminClient.send(endpoint, "regions/" + region + "/capacity", "PUT", "{\"capacity\":" + n + "}");
        }
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = "Serve one simulated region over an OpenAI-compatible HTTP API (like vLLM), on its own.")
    static final class Serve implements Runnable {
        @picocli.CommandLine.Mixin
        ConfigOption config;

        @Option(
                names = {"-r", "--region"},
                required = true,
                paramLabel = "REGION",
                description = "The region it simulates.")
        String region;

        @Option(
                names = {"-p", "--port"},
                defaultValue = "8000",
                paramLabel = "N",
                description = "TCP port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(
                names = {"-m", "--model"},
                paramLabel = "NAME",
                description = "Model names it serves (default: the catalog's models of the region).")
        java.util.List<String> models;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            var c = config.load();
            if (c.catalog().region(region).isEmpty()) {
                throw new IllegalArgumentException(
                        "unknown region " + region + "; known: " + c.catalog().regionIds());
            }
            java.util.List<String> served = models != null
                    ? models
                    : c.catalog().models().stream()
                            .filter(m -> m.servedIn(region))
                            .map(m -> m.id())
                            .toList();
            var rtt = dev.meridian.core.route.RoundTripTimes.estimate(c.catalog(), c.rttOverrides());
            var builder = dev.meridian.sim.RegionSimulator.builder(rtt)
                    .defaults(c.simulator().defaults())
                    .timeScale(c.simulator().timeScale())
                    .contextTokens(c.catalog()::contextTokens);
            c.simulator().regions().forEach(builder::region);
            var server = dev.meridian.server.simserver.SimulatorHttpServer.start(
                    builder.build(), region, served, c.server().bindAddress(), port);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "Simulated %s serving %s at http://%s:%d/v1 (metrics on /metrics). Ctrl-C stops.%n",
                            region, served, c.server().bindAddress(), server.port());
            spec.commandLine().getOut().flush();
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                Logging.stop();
                stopped.countDown();
            }));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

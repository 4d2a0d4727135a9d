package dev.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meridian sim}: the running gateway's simulator switches (outages and capacity crunches). */
@Command(
        name = "sim",
        mixinStandardHelpOptions = true,
        description = "Control the simulated regions of a running gateway.",
        subcommands = {SimCommand.Status.class, SimCommand.Down.class, SimCommand.Up.class, SimCommand.Capacity.class})
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
}

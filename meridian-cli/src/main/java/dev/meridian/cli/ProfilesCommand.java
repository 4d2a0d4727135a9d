package dev.meridian.cli;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.core.residency.DestinationRules;
import dev.meridian.core.residency.DestinationRules.OfferedProfile;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meridian profiles}: what a caller in one source region can invoke, and where it may be processed. */
@Command(
        name = "profiles",
        mixinStandardHelpOptions = true,
        description = "List the inference profiles invocable from a source region, with their destination regions.")
final class ProfilesCommand implements Runnable {
    @Mixin
    ConfigOption config;

    @Option(
            names = {"-r", "--source-region"},
            required = true,
            paramLabel = "REGION",
            description = "The caller's source region.")
    String sourceRegion;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Catalog catalog = config.load().catalog();
        if (catalog.region(sourceRegion).isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown source region " + sourceRegion + "; known: " + catalog.regionIds());
        }
        List<OfferedProfile> offered = DestinationRules.offeredIn(catalog, sourceRegion);
        PrintWriter out = spec.commandLine().getOut();
        int width =
                offered.stream().mapToInt(o -> o.profile().id().length()).max().orElse(10);
        out.printf("%-" + width + "s  %-14s  %s%n", "PROFILE", "TYPE", "DESTINATION REGIONS");
        for (OfferedProfile o : offered) {
            out.printf(
                    "%-" + width + "s  %-14s  %s%n",
                    o.profile().id(),
                    o.profile().type(),
                    String.join(", ", o.destinations().regions()));
        }
        out.printf("%n%d profiles invocable from %s.%n", offered.size(), sourceRegion);
        out.flush();
    }
}

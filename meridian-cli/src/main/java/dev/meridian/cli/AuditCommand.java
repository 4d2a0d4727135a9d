package dev.meridian.cli;

import dev.meridian.server.audit.AuditLedger;
import dev.meridian.server.audit.AuditStores;
import dev.meridian.server.audit.ChainVerifier;
import dev.meridian.server.audit.TrailExport;
import dev.meridian.server.config.MeridianConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meridian audit}: offline checks of a source region's audit trail, read straight from its store (the
 * embedded files or PostgreSQL, as the configuration says), so an auditor needs no running gateway.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verify or export a source region's audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every audit subcommand shares: the configuration and the source region whose trail to read. */
    static final class Trail {
        @Mixin
        ConfigOption config;

        @Option(
                names = {"-r", "--region"},
                required = true,
                paramLabel = "REGION")
        String region;

        /** The region's ledger, straight from its store as {@code loaded} configures it. */
        AuditLedger open(MeridianConfig loaded) {
            if (loaded.catalog().region(region).isEmpty()) {
                throw new IllegalArgumentException("unknown region " + region + " (known: "
                        + loaded.catalog().regionIds() + ")");
            }
            return AuditStores.open(
                    loaded.governance().stores(), loaded.server().dataDirectory(), region);
        }
    }

    /** Exit status 0 when the trail is intact, 1 when it was tampered with. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Detect any edited, deleted or reordered event in a region's hash chain.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        Trail trail;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (AuditLedger ledger = trail.open(trail.config.load())) {
                AuditLedger.Head checkpoint = ledger.checkpoint();
                ChainVerifier.Report report = ChainVerifier.verify(ledger);
                out.printf("region      %s%n", trail.region);
                out.printf("events      %d (after sequence %d)%n", report.events(), checkpoint.sequence());
                out.printf(
                        "head        %d %s%n",
                        report.head().sequence(), report.head().hash());
                if (report.intact()) {
                    out.println("result      INTACT: every event links to the one before it");
                    out.flush();
                    return 0;
                }
                out.println("result      TAMPERED");
                report.problems().forEach(p -> out.println("  " + p));
                out.flush();
                return 1;
            }
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write a region's events as CloudTrail log files (gzip JSON, one per hour).")
    static final class Export implements Callable<Integer> {
        @Mixin
        Trail trail;

        @Option(
                names = {"-o", "--out"},
                required = true,
                paramLabel = "DIR")
        Path out;

        @Option(
                names = "--before",
                paramLabel = "INSTANT",
                description = "Only events before this time (ISO-8601, default: now).")
        Instant before;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            MeridianConfig c = trail.config.load();
            try (AuditLedger ledger = trail.open(c)) {
                var files = TrailExport.export(
                        ledger, c.server().accountId(), trail.region, before == null ? Instant.now() : before, out);
                files.forEach(f -> spec.commandLine().getOut().println(f));
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }
}

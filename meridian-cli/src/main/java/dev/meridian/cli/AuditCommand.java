package dev.meridian.cli;

import dev.meridian.core.catalog.Catalog;
import dev.meridian.server.audit.AuditLedger;
import dev.meridian.server.audit.AuditStores;
import dev.meridian.server.audit.ChainVerifier;
import dev.meridian.server.audit.ResidencyAudit;
import dev.meridian.server.audit.TrailExport;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.server.store.JdbcProfileStore;
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
        description = "Verify, check the residency of, or export a source region's audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Residency.class, AuditCommand.Export.class})
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

    /** Exit status 0 when every invocation stayed within its allowed regions, 1 otherwise. */
    @Command(
            name = "residency",
            mixinStandardHelpOptions = true,
            description = "Check that every invocation in a region's trail was processed in, and sent to, only"
                    + " regions its model id and source region allow (against the configured catalog and the"
                    + " stored application profiles).")
    static final class Residency implements Callable<Integer> {
        @Mixin
        Trail trail;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            MeridianConfig loaded = trail.config.load();
            Catalog catalog = withStoredProfiles(loaded);
            try (AuditLedger ledger = trail.open(loaded)) {
                ResidencyAudit.Report report =
                        ResidencyAudit.check(ledger, catalog, loaded.server().accountId());
                out.printf("region          %s%n", trail.region);
                out.printf("invocations     %d%n", report.invocations());
                out.printf("outside         %d%n", report.violationCount());
                out.printf("unverifiable    %d%n", report.unverifiableCount());
                report.violations().forEach(v -> out.println("  outside: " + v));
                report.unverifiable().forEach(u -> out.println("  unverifiable: " + u));
                out.println(
                        report.clean()
                                ? "result          WITHIN: every invocation stayed in the regions its profile and"
                                        + " source region allow"
                                : report.violationCount() > 0
                                        ? "result          OUTSIDE: invocations went where their rules do not allow"
                                        : "result          UNVERIFIABLE: some invocations name a model id the catalog"
                                                + " does not know");
                out.flush();
                return report.clean() ? 0 : 1;
            }
        }

        /** The configured catalog with the application profiles created through the API, as the gateway loads it. */
        private static Catalog withStoredProfiles(MeridianConfig loaded) {
            Catalog catalog = loaded.catalog();
            try (var store = JdbcProfileStore.open(
                    loaded.governance().stores(), loaded.server().dataDirectory())) {
                for (var stored : store.loadAll().join()) {
                    catalog = catalog.withProfile(stored.profile());
                }
            }
            return catalog;
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

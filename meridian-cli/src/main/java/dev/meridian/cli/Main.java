package dev.meridian.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} command. */
@Command(
        name = "meridian",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Cross-region inference gateway for large language models.",
        subcommands = {
            ServeCommand.class,
            ProfilesCommand.class,
            ExplainCommand.class,
            SimCommand.class,
            AuditCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.routeJavaUtilLogging();
        int code = commandLine().execute(args);
        Logging.stop();
        System.exit(code);
    }

    /** The configured command line, for tests and embedding. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"meridian " + (v == null ? "dev" : v)};
        }
    }
}

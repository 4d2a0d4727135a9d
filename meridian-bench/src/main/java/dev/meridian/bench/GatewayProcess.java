package dev.meridian.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Meridian gateway in its own JVM, started from this benchmark's class path with a given configuration, so its
 * CPU time and resident memory can be read apart from the load generator's (as nginx's are).
 * {@code -Dmeridian.bench.gatewayJvmArgs="..."} adds JVM options (e.g. a JFR recording) to the gateway's JVM.
 */
final class GatewayProcess implements AutoCloseable {
    /** What the gateway ("meridian listening on ...") and the floor proxies print once they accept requests. */
    private static final String LISTENING = " listening on ";

    private final Process process;
    private final int port;

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the gateway and waits for its "meridian listening on" line. */
    static GatewayProcess start(String yaml) throws IOException {
        return start(yaml, gatewayJvmArgs());
    }

    /** The JVM options {@code -Dmeridian.bench.gatewayJvmArgs} gives the gateway (none by default). */
    static List<String> gatewayJvmArgs() {
        return jvmArgs(System.getProperty("meridian.bench.gatewayJvmArgs", ""));
    }

    /** JVM options separated by white space or {@code |} (which survives {@code JAVA_TOOL_OPTIONS}). */
    static List<String> jvmArgs(String options) {
        String trimmed = options.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("[\\s|]+"));
    }

    /** Starts the gateway with extra JVM options and waits for its "meridian listening on" line. */
    static GatewayProcess start(String yaml, List<String> extraJvmArgs) throws IOException {
        return start(yaml, extraJvmArgs, System.getProperty("java.class.path"));
    }

    /** Starts a gateway from another build ({@code classPath}, e.g. an older commit's benchmark jar). */
    static GatewayProcess start(String yaml, List<String> extraJvmArgs, String classPath) throws IOException {
        Path config = ScratchFiles.file("meridian-bench-", ".yaml");
        Files.writeString(config, yaml);
        return startMain(extraJvmArgs, classPath, "dev.meridian.server.MeridianServer", List.of(config.toString()));
    }

    /**
     * Starts another server in a JVM like the gateway's ({@link ArmeriaProxy}, {@link NettyProxy}): same heap and
     * options, Netty's buffer-leak sampling off as the gateway turns it off ({@code MeridianServer.start}; ~2 % of a
     * floor's CPU otherwise, a cost the gateway does not pay), this benchmark's class path; waits for its "listening
     * on" line.
     */
    static GatewayProcess startServer(String mainClass, List<String> args) throws IOException {
        List<String> options = new ArrayList<>();
        options.add("-Dio.netty.leakDetection.level=disabled");
        options.addAll(gatewayJvmArgs());
        return startMain(options, System.getProperty("java.class.path"), mainClass, args);
    }

    private static GatewayProcess startMain(
            List<String> extraJvmArgs, String classPath, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms512m");
        command.add("-Xmx512m");
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(extraJvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        String last = null;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            last = line;
            int at = line.indexOf(LISTENING);
            if (at >= 0) {
                String endpoint = line.substring(at + LISTENING.length()).trim();
                int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty; the gateway's log is not part of the measurement
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new GatewayProcess(process, port);
            }
        }
        process.destroyForcibly();
        throw new IOException(mainClass + " did not start (last line of its output: " + last + ")");
    }

    int port() {
        return port;
    }

    long cpuNanos() {
        return ProcStat.cpuTicks(process.pid()) * 10_000_000L;
    }

    long rssBytes() {
        return ProcStat.rssBytes(process.pid());
    }

    long contextSwitches() {
        return ProcStat.contextSwitches(process.pid());
    }

    @Override
    public void close() {
        ProcStat.stop(process, 10);
    }
}

package dev.meridian.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from Debian's packages, started for a test in a fresh directory on a free loopback
 * port (trust authentication, user {@code meridian}) and stopped afterwards. PostgreSQL refuses to run as root,
 * so when the tests run as root the server runs as the package's {@code postgres} user.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path directory;
    private final int port;

    private PostgresServer(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Initialises and starts a server. Without PostgreSQL installed the calling test class is skipped with a
     * message saying so, except under CI ({@code CI} set), where {@code .ci/run} installs it and its absence is a
     * failure.
     */
    public static PostgresServer start() {
        if (System.getenv("CI") == null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    installed(),
                    "PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL store tests are"
                            + " skipped");
        }
        Path bin = binaries();
        try {
            Path directory = Files.createTempDirectory("meridian-pg-");
            int port = freePort();
            PostgresServer pg = new PostgresServer(bin, directory, port);
            if (root()) {
                run(List.of("chown", "-R", "postgres:postgres", directory.toString()));
            }
            pg.runAsOwner(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    directory.resolve("data").toString(),
                    "-U",
                    "meridian",
                    "--auth=trust",
                    "--no-sync"));
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the (stopped) server again on the same port and data. */
    public void startServer() {
        pgCtl(
                "-l",
                directory.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=on",
                "-w",
                "start");
    }

    /** Stops the server immediately, as a crash or an outage would. */
    public void stopServer() {
        pgCtl("-m", "immediate", "-w", "stop");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The {@code stores:} section pointing a gateway at this server. */
    public String storesYaml() {
        return "stores:\n  kind: postgresql\n  url: " + jdbcUrl() + "\n  user: meridian\n";
    }

    @Override
    public void close() {
        try {
            stopServer();
        } catch (RuntimeException ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    /** {@code pg_ctl -D <data> <args>}, as the server's owner. */
    private void pgCtl(String... args) {
        List<String> command = new ArrayList<>(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                directory.resolve("data").toString()));
        command.addAll(List.of(args));
        runAsOwner(command);
    }

    private void runAsOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean installed() {
        try {
            binaries();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException(
                    "PostgreSQL is not installed (expected /usr/lib/postgresql/<version>/bin/initdb);"
                            + " .ci/run installs it with apt-get install postgresql");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

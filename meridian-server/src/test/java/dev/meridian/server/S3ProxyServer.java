package dev.meridian.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests: S3Proxy (its self-contained jar, copied from Maven Central into
 * {@code target/s3proxy} by the build) in its own JVM on a free loopback port, storing objects in a temporary
 * directory, with SigV4 authentication.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "s3-test-identity";
    public static final String SECRET_KEY = "s3-test-credential";

    private final Process process;
    private final int port;

    private S3ProxyServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3ProxyServer start() {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing; the build copies it"
                    + " (maven-dependency-plugin, phase generate-test-resources)");
        }
        try {
            Path dir = Files.createTempDirectory("meridian-s3-");
            Files.createDirectories(dir.resolve("blobs"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(
                    conf,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + dir.resolve("blobs"),
                            ""));
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Xmx256m",
                            "-jar",
                            jar.toString(),
                            "--properties",
                            conf.toString())
                    .redirectErrorStream(true)
                    .start();
            awaitStarted(p);
            return new S3ProxyServer(p, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitStarted(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.add(line);
            if (line.contains("Started") && line.contains("ServerConnector")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // stopped
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not start:\n" + String.join("\n", seen));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.meridian.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx (Debian's package) as a plain reverse proxy in front of an upstream on loopback: the baseline a gateway's
 * overhead is compared with. One worker process (the box has two cores, shared with the load generator and the
 * servers), upstream keep-alive, no access log, response buffering off (so streams are relayed as they come, as a
 * gateway must).
 */
final class NginxProxy implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("meridian.bench.nginx", "/usr/sbin/nginx"));

    private final Process process;
    private final int port;

    private NginxProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static NginxProxy start(int upstreamPort) throws IOException, InterruptedException {
        Path dir = ScratchFiles.directory("meridian-bench-nginx-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String conf = """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream upstream_server {
                        server 127.0.0.1:%2$d;
                        keepalive 128;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://upstream_server;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffering off;
                        }
                    }
                }
                """.formatted(dir, upstreamPort, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(BINARY.toString(), "-c", file.toString(), "-p", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new NginxProxy(p, port);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("stdout.log"))
                            + Files.readString(dir.resolve("error.log")));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("nginx did not start listening on " + port);
    }

    int port() {
        return port;
    }

    /** CPU time of the nginx master and its workers so far, in nanoseconds (from /proc, 100 Hz ticks). */
    long cpuNanos() {
        return summed(ProcStat::cpuTicks) * 10_000_000L;
    }

    /** Resident memory of the master and its workers, in bytes. */
    long rssBytes() {
        return summed(ProcStat::rssBytes);
    }

    /** Context switches of the master and its workers so far. */
    long contextSwitches() {
        return summed(ProcStat::contextSwitches);
    }

    /** {@code perProcess} of the master plus that of each of its workers. */
    private long summed(java.util.function.LongUnaryOperator perProcess) {
        return java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(process.toHandle()),
                        process.toHandle().children())
                .mapToLong(h -> perProcess.applyAsLong(h.pid()))
                .sum();
    }

    @Override
    public void close() {
        ProcStat.stop(process, 5);
    }
}

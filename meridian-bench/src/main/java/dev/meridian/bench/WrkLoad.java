package dev.meridian.bench;

import com.linecorp.armeria.common.RequestHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same requests sent by wrk (Debian's package) instead of the benchmark's JVM load generator: a standard,
 * native load generator, so the numbers can be compared with what other proxies publish. A closed loop of
 * {@code connections} connections on one thread ({@code -Dmeridian.bench.loadGenerator=wrk}); one connection gives
 * the latency of requests sent one after another.
 */
final class WrkLoad {
    static final Path BINARY = Path.of(System.getProperty("meridian.bench.wrk", "/usr/bin/wrk"));
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern RATE = Pattern.compile("^Requests/sec:\\s+([0-9.]+)", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("^\\s*(\\d+) requests in ", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** One wrk run: requests per second, median and 99th percentile latency, requests sent, failures. */
    record Result(double rps, double p50Micros, double p99Micros, long requests, long errors) {
        /** {@code nanos} of CPU time spread over the requests answered (wrk counts non-2xx answers among them). */
        double microsPerRequest(long nanos) {
            return nanos / 1000.0 / Math.max(1, requests);
        }
    }

    private WrkLoad() {}

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Sends {@code body} with {@code headers} to loopback {@code port} for {@code seconds}. */
    static Result run(int port, RequestHeaders headers, byte[] body, int connections, int seconds)
            throws IOException, InterruptedException {
        Path script = ScratchFiles.file("meridian-bench-wrk-", ".lua");
        Files.writeString(script, script(headers, body));
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "-t1",
                "-c" + connections,
                "-d" + seconds + "s",
                "--latency",
                "-s",
                script.toString(),
                "http://127.0.0.1:" + port + headers.path()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not finish");
        }
        return parse(out);
    }

    /** wrk's Lua settings for one request, repeated: method, headers (no pseudo-headers) and body. */
    static String script(RequestHeaders headers, byte[] body) {
        StringBuilder lua = new StringBuilder("wrk.method = \"")
                .append(headers.method().name())
                .append("\"\n");
        headers.forEach((name, value) -> {
            if (!name.toString().startsWith(":")) {
                lua.append("wrk.headers[")
                        .append(quoted(name.toString()))
                        .append("] = ")
                        .append(quoted(value))
                        .append('\n');
            }
        });
        lua.append("wrk.body = ")
                .append(quoted(new String(body, StandardCharsets.UTF_8)))
                .append('\n');
        return lua.toString();
    }

    private static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Reads wrk's report ({@code --latency}); fails on a report without the numbers. */
    static Result parse(String out) throws IOException {
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = PERCENTILE.matcher(out);
        while (m.find()) {
            double micros = Double.parseDouble(m.group(2))
                    * switch (m.group(3)) {
                        case "us" -> 1;
                        case "ms" -> 1_000;
                        default -> 1_000_000;
                    };
            if (m.group(1).equals("50")) {
                p50 = micros;
            } else {
                p99 = micros;
            }
        }
        Matcher rate = RATE.matcher(out);
        Matcher total = TOTAL.matcher(out);
        if (Double.isNaN(p50) || Double.isNaN(p99) || !rate.find() || !total.find()) {
            throw new IOException("unexpected wrk output: " + out);
        }
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(out);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        return new Result(Double.parseDouble(rate.group(1)), p50, p99, Long.parseLong(total.group(1)), errors);
    }
}

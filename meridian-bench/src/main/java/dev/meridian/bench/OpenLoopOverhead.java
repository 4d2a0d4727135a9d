package dev.meridian.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.RequestHeaders;
import dev.meridian.server.MeridianServer;
import dev.meridian.server.config.MeridianConfig;
import dev.meridian.sim.RegionSimulator;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Gateway overhead at fixed request rates (open loop, latency from the intended send time: no coordinated
 * omission), in one run: directly to a bare simulator endpoint, through nginx as a plain reverse proxy to it
 * (when Debian's nginx is installed), and through Meridian (in-region and EU profile) to the same simulator
 * model. Reports latency percentiles, the latency added over direct, CPU per request (this JVM's — load
 * generator, bare endpoint and Meridian — plus nginx's processes for the nginx target) and resident memory.
 *
 * <p>Usage: {@code OpenLoopOverhead [seconds-per-phase=10] [upstream-ms=0] [rates...=1000 5000]};
 * {@code -Dmeridian.bench.auditSync=os} runs Meridian with {@code audit.sync: os};
 * {@code -Dmeridian.bench.stream=true} sends ConverseStream and measures time to first byte;
 * {@code -Dmeridian.bench.targets=direct,meridian-eu-profile,...} picks the targets and their order (direct
 * first: the others are compared with it).
 */
public final class OpenLoopOverhead {
    private OpenLoopOverhead() {}

    public static void main(String[] args) throws Exception {
        BenchFixture.OpenLoopArgs parsed = BenchFixture.OpenLoopArgs.parse(args);
        int seconds = parsed.seconds();
        int upstreamMs = parsed.upstreamMs();
        int[] rates = parsed.rates();
        MeridianConfig config =
                BenchFixture.config(upstreamMs, "1.0e12", System.getProperty("meridian.bench.auditSync", "disk"));
        byte[] body = BenchFixture.CONVERSE_BODY;
        String model = BenchFixture.MODEL;
        boolean stream = Boolean.getBoolean("meridian.bench.stream");
        String operation = stream ? "converse-stream" : "converse";
        try (MeridianServer meridian = MeridianServer.start(config);
                RegionSimulator directSim = BenchFixture.directSimulator(config);
                DirectSimulatorServer direct = new DirectSimulatorServer(directSim, "eu-central-1");
                ClientFactory factory = ClientFactory.builder().build()) {
            NginxProxy nginx = NginxProxy.available() ? NginxProxy.start(direct.port()) : null;
            Map<String, WebClient> clients = new LinkedHashMap<>();
            Map<String, RequestHeaders> headers = new LinkedHashMap<>();
            clients.put("direct", BenchFixture.client(factory, direct.port()));
            headers.put("direct", ConverseRequests.bearer("/model/" + model + "/" + operation));
            if (nginx != null) {
                clients.put("nginx", BenchFixture.client(factory, nginx.port()));
                headers.put("nginx", headers.get("direct"));
            } else {
                System.out.println("nginx not found at " + NginxProxy.BINARY + ": the nginx baseline is skipped");
            }
            clients.put("meridian-in-region", BenchFixture.client(factory, meridian.port()));
            headers.put("meridian-in-region", ConverseRequests.bearer("/model/" + model + "/" + operation));
            clients.put("meridian-eu-profile", clients.get("meridian-in-region"));
            headers.put("meridian-eu-profile", ConverseRequests.bearer("/model/eu." + model + "/" + operation));

            System.out.println("warm-up (5 s per target at 1000 req/s)...");
            for (String target : clients.keySet()) {
                OpenLoopLoad.run("warm", clients.get(target), headers.get(target), body, 1000, 5000);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nopen loop, %s, %d s per target and rate, upstream latency %d ms, %d cores%n",
                    stream ? "ConverseStream, latency = time to first byte" : "Converse, latency = whole answer",
                    seconds,
                    upstreamMs,
                    Runtime.getRuntime().availableProcessors());
            OpenLoopTable table = new OpenLoopTable("cpu us/req", "rss MB");
            java.util.List<String> order = BenchFixture.chosenTargets(clients.keySet());
            for (int rate : rates) {
                for (String target : order) {
                    long cpuBefore = jvmCpuNanos() + (target.equals("nginx") ? nginx.cpuNanos() : 0);
                    ClosedLoopLoad.Result r = OpenLoopLoad.run(
                            target, clients.get(target), headers.get(target), body, rate, seconds * 1000L, stream);
                    long cpu = jvmCpuNanos() + (target.equals("nginx") ? nginx.cpuNanos() : 0) - cpuBefore;
                    long rss = ProcStat.rssBytes(ProcessHandle.current().pid())
                            + (target.equals("nginx") ? nginx.rssBytes() : 0);
                    table.row(
                            target,
                            rate,
                            r,
                            String.format(Locale.ROOT, "%.1f", r.microsPerRequest(cpu)),
                            String.format(Locale.ROOT, "%.0f", rss / 1e6));
                }
            }
            if (nginx != null) {
                nginx.close();
            }
        }
        System.exit(0);
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

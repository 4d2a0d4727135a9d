package dev.meridian.server.audit;

import dev.meridian.server.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a trail as CloudTrail log files: {@code AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
 * <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<first-sequence>.json.gz}, one file per hour, each a
 * {@code {"Records":[...]}} document, so long-term history can be kept and read with CloudTrail tooling.
 */
public final class TrailExport {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private TrailExport() {}

    /**
     * Exports the events of {@code ledger} older than {@code before} under {@code directory}.
     *
     * @return the files written
     */
    public static List<Path> export(
            AuditLedger ledger, String accountId, String region, Instant before, Path directory) {
        TreeMap<Instant, List<ChainedEntry>> byHour = new TreeMap<>();
        ledger.scanBefore(
                before,
                e -> byHour.computeIfAbsent(e.entry().eventTime().truncatedTo(ChronoUnit.HOURS), h -> new ArrayList<>())
                        .add(e));
        List<Path> written = new ArrayList<>();
        byHour.forEach((hour, events) -> {
            Path dir = directory.resolve("AWSLogs/" + accountId + "/CloudTrail/" + region + "/" + DAY.format(hour));
            Path file = dir.resolve(accountId + "_CloudTrail_" + region + "_" + STAMP.format(hour) + "_"
                    + events.get(0).sequence() + ".json.gz");
            try {
                Files.createDirectories(dir);
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                    out.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
                    for (int i = 0; i < events.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        out.write(events.get(i).entry().recordJson().getBytes(StandardCharsets.UTF_8));
                    }
                    out.write("]}".getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            written.add(file);
        });
        return written;
    }

    /** The records of one exported file, for tests and tooling. */
    public static List<String> read(Path file) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            var root = Json.MAPPER.readTree(in);
            List<String> out = new ArrayList<>();
            root.path("Records").forEach(r -> out.add(r.toString()));
            return out;
        }
    }
}

package dev.meridian.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class of the running test's class path started in its own JVM (a gateway, a simulated model server,
 * {@code meridian serve}), for tests that must kill, signal or read a separate process; shared by the server's and
 * the CLI's tests.
 */
public final class JavaProcess {
    private static final long STARTUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private JavaProcess() {}

    /** {@code java -cp <this class path> <main> <args>}, ready for redirects and {@code start()}. */
    public static ProcessBuilder of(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * Reads {@code process}'s standard output until a line matches {@code announcement} and returns the pattern's
     * first group; the rest of the output is drained in the background so the process never blocks on it.
     *
     * @throws IllegalStateException with the lines read, if the output ends or 60 s pass first
     */
    public static String awaitAnnouncement(Process process, Pattern announcement) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT_NANOS;
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = announcement.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> drain(out), "drain-" + process.pid());
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
            seen.add(line);
        }
        throw new IllegalStateException("the process did not announce itself:\n" + String.join("\n", seen));
    }

    private static void drain(BufferedReader out) {
        try {
            out.transferTo(Writer.nullWriter());
        } catch (IOException e) {
            // the process ended
        }
    }
}

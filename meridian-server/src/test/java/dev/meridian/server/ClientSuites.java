package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs another language's SDK test suite as a process against a gateway of this JVM. */
final class ClientSuites {
    private ClientSuites() {}

    /**
     * Starts {@code suite} with {@code MERIDIAN_ENDPOINT} set, echoes its output, requires exit status 0 within five
     * minutes and returns the output for the caller's checks on what ran.
     */
    static String runPassing(ProcessBuilder suite, String endpoint) throws Exception {
        suite.redirectErrorStream(true).environment().put("MERIDIAN_ENDPOINT", endpoint);
        Process p = suite.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }
}

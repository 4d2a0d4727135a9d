package dev.meridian.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The running JDK's keytool, for tests that need real keystores and certificates. */
public final class Keytool {
    private Keytool() {}

    /** A new EC (P-256) key pair with a self-signed certificate, valid two days, in a PKCS#12 store. */
    public static void selfSigned(
            Path dir, String alias, String commonName, String store, String password, String... extraArgs)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + commonName,
                "-validity",
                "2",
                "-keystore",
                store,
                "-storetype",
                "PKCS12",
                "-storepass",
                password));
        args.addAll(List.of(extraArgs));
        run(dir, args.toArray(String[]::new));
    }

    /** Writes the certificate of {@code alias} to {@code file} as PEM. */
    public static void exportPem(Path dir, String alias, String store, String password, String file) throws Exception {
        run(dir, "-exportcert", "-alias", alias, "-keystore", store, "-storepass", password, "-rfc", "-file", file);
    }

    /** Runs {@code keytool args} in {@code dir} and fails the test, with keytool's output, if it fails. */
    public static void run(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + "\n" + out).isZero();
    }
}

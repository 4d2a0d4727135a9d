package dev.meridian.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Tracks every Netty buffer a test JVM allocates (leak detection {@code paranoid}) and writes each buffer that was
 * garbage-collected without being released to the module's {@code target/netty-leaks.txt}, which fails the build
 * ({@code requireFilesDontExist} in the parent POM): a proxy that loses pooled buffers on one path (a failover, a
 * caller leaving mid-stream, a refused request) grows its direct memory until it falls over, and no single test's
 * assertion would see it. Registered (a service) for every module with this one on its test class path: the
 * providers', the server's, the CLI's and the benchmark's (each a module whose tests run Netty); the gateway itself
 * runs without leak detection, so the tests set it on here, before any buffer class is loaded.
 */
public final class BufferLeakCheck implements LauncherSessionListener {
    /** Where the leaks of a test run are written; absent after a run without leaks. */
    private static final Path REPORT = Path.of("target", "netty-leaks.txt");

    /** Netty's property for the level, which {@code -Dio.netty.leakDetection.level} on the command line overrides. */
    private static final String LEVEL = "io.netty.leakDetection.level";

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.deleteIfExists(REPORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String level = System.getProperty(LEVEL, "paranoid");
        // set, so that the gateways the tests start leave it as it is (MeridianServer turns it off when unset)
        System.setProperty(LEVEL, level);
        ResourceLeakDetector.setLevel(
                ResourceLeakDetector.Level.valueOf(level.trim().toUpperCase(Locale.ROOT)));
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        // A leak is reported when a later allocation finds its buffer collected: collect, then allocate.
        for (int i = 0; i < 5; i++) {
            System.gc();
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            probe.release();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!LEAKS.isEmpty()) {
            try {
                Files.createDirectories(REPORT.getParent());
                Files.writeString(
                        REPORT,
                        LEAKS.size() + " Netty buffer(s) garbage-collected without being released:\n\n"
                                + String.join("\n\n", LEAKS),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Detectors that keep their reports for the session's end, besides logging them as Netty does. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation") // the abstract method Netty's own factory implements
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add(resourceType + " leaked:" + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add(resourceType + " leaked (no access records)");
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}

package dev.meridian.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories and files of a benchmark run, deleted when its JVM exits. A gateway's data directory holds
 * its audit trail, which grows by a gigabyte or more in one {@code bench/proxy.sh} run; left behind, a few dozen
 * runs filled this machine's disk.
 */
final class ScratchFiles {
    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ScratchFiles::deleteAll, "bench-scratch-cleanup"));
    }

    private ScratchFiles() {}

    /** A new empty directory under the system's temporary directory, deleted with its contents at exit. */
    static Path directory(String prefix) throws IOException {
        return remember(Files.createTempDirectory(prefix));
    }

    /** A new empty file under the system's temporary directory, deleted at exit. */
    static Path file(String prefix, String suffix) throws IOException {
        return remember(Files.createTempFile(prefix, suffix));
    }

    private static synchronized Path remember(Path path) {
        CREATED.add(path);
        return path;
    }

    private static synchronized void deleteAll() {
        for (Path root : CREATED) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(root)) {
                tree.sorted(Comparator.reverseOrder()).forEach(ScratchFiles::delete);
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not delete " + root + ": " + e.getMessage());
            }
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

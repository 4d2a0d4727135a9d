package dev.meridian.server.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The default of {@code server.maxConnections}: a quarter of the process's open-file limit. Each client connection
 * is a file descriptor and, while its request is upstream, usually a second one for the upstream connection; the
 * rest is left for the audit and profile stores and the listening socket. Without a limit, a flood of
 * connections (or a client that opens one per request while the gateway is slow) exhausts the descriptors and
 * the gateway then fails to reach its upstreams and its audit store, where with it only new connections are turned
 * away.
 */
public final class ConnectionLimit {
    /** Used where the open-file limit cannot be read (not a Unix-like system). */
    static final int FALLBACK = 4096;

    private static final int FLOOR = 256;

    private ConnectionLimit() {}

    /** A quarter of the open-file limit (at least 256), or {@link #FALLBACK} where it cannot be read. */
    public static int byDefault() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return forFileLimit(unix.getMaxFileDescriptorCount());
        }
        return FALLBACK;
    }

    static int forFileLimit(long maxFileDescriptors) {
        if (maxFileDescriptors <= 0) {
            return FALLBACK;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(FLOOR, maxFileDescriptors / 4));
    }
}

package dev.meridian.server.store;

import java.util.Map;
import java.util.Objects;

/**
 * Where durable state lives: the embedded SQLite files under the data directory (the default, no set-up), or
 * PostgreSQL. Audit records are kept per source region; {@code regionUrls} points a region's records at a
 * database in that region. {@link #toString()} never shows the password.
 *
 * @param kind embedded or PostgreSQL
 * @param url the PostgreSQL JDBC URL for regions without their own, or {@code null} when embedded
 * @param user the PostgreSQL user, or {@code null}
 * @param password the PostgreSQL password, or {@code null}
 * @param regionUrls per-region PostgreSQL JDBC URLs
 * @param auditSync whether an audit commit waits until the disk has the event (true, the default: an answer's
 *     event survives a power loss) or only until the operating system has it (survives a gateway crash, not an
 *     OS crash; SQLite {@code synchronous=NORMAL}, PostgreSQL {@code synchronous_commit=off})
 */
public record StoreSettings(
        Kind kind, String url, String user, String password, Map<String, String> regionUrls, boolean auditSync) {

    /** Settings whose audit commits wait for the disk. */
    public StoreSettings(Kind kind, String url, String user, String password, Map<String, String> regionUrls) {
        this(kind, url, user, password, regionUrls, true);
    }

    public StoreSettings withAuditSync(boolean sync) {
        return new StoreSettings(kind, url, user, password, regionUrls, sync);
    }

    /** The store implementations. */
    public enum Kind {
        EMBEDDED,
        POSTGRESQL
    }

    public StoreSettings {
        Objects.requireNonNull(kind, "kind");
        regionUrls = Map.copyOf(regionUrls);
        if (kind == Kind.POSTGRESQL && url == null) {
            throw new IllegalArgumentException("a PostgreSQL store needs a url");
        }
    }

    /** The embedded default, under the server's data directory. */
    public static StoreSettings embedded() {
        return new StoreSettings(Kind.EMBEDDED, null, null, null, Map.of());
    }

    /** The JDBC URL holding {@code region}'s records. */
    public String urlFor(String region) {
        return regionUrls.getOrDefault(region, url);
    }

    @Override
    public String toString() {
        return "StoreSettings[kind=" + kind + ", url=" + url + ", user=" + user + ", password="
                + (password == null ? "none" : "<redacted>") + ", regionUrls=" + regionUrls + ", auditSync=" + auditSync
                + "]";
    }
}

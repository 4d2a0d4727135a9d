package dev.meridian.server.http;

/**
 * Splits a request target ({@code path?query}, as Armeria's {@code req.path()} gives it) into its path and its
 * query, so every service strips the query the same way.
 */
public final class RequestPaths {
    private RequestPaths() {}

    /** The path without its query, e.g. {@code /foundation-models} for {@code /foundation-models?byProvider=x}. */
    public static String withoutQuery(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The raw query after {@code ?}, or {@code ""} when there is none. */
    public static String query(String target) {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }
}

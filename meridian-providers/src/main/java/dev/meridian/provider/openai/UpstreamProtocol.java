package dev.meridian.provider.openai;

import java.util.Locale;
import java.util.Optional;

/**
 * Which HTTP version the gateway speaks to a model server. By default it finds out: over TLS by ALPN, in cleartext
 * by opening with HTTP/2's connection preface and, when the server refuses it, an HTTP/1.1 upgrade request, then
 * falling back to HTTP/1.1. Against a server known to speak HTTP/1.1 only (vLLM, llama.cpp's server, Ollama) those
 * two refused requests are noise in its access log, and a firewall or proxy in between may count them as attacks;
 * naming the version skips the probe.
 */
public enum UpstreamProtocol {
    /** HTTP/2 where the server takes it, otherwise HTTP/1.1 (the probe described above). */
    AUTO("auto", "http", "https"),
    /** HTTP/1.1 only: no preface, no upgrade request, no ALPN offer of HTTP/2. */
    HTTP1("http1", "h1c", "h1"),
    /** HTTP/2 only, with prior knowledge in cleartext: a server without HTTP/2 is a failed call, not a fallback. */
    HTTP2("http2", "h2c", "h2");

    private final String configName;
    private final String cleartextScheme;
    private final String tlsScheme;

    UpstreamProtocol(String configName, String cleartextScheme, String tlsScheme) {
        this.configName = configName;
        this.cleartextScheme = cleartextScheme;
        this.tlsScheme = tlsScheme;
    }

    /** The name an operator writes in the configuration ({@code auto}, {@code http1}, {@code http2}). */
    public String configName() {
        return configName;
    }

    /** The protocol of that name, in any case; empty for another name. */
    public static Optional<UpstreamProtocol> named(String name) {
        String lowerCase = name.toLowerCase(Locale.ROOT);
        for (UpstreamProtocol p : values()) {
            if (p.configName.equals(lowerCase)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The scheme Armeria's client takes for a base URL's {@code http} or {@code https} under this protocol. */
    String clientScheme(String urlScheme) {
        return "https".equalsIgnoreCase(urlScheme) ? tlsScheme : cleartextScheme;
    }
}

package dev.meridian.server;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real gateway (free loopback port, fresh data directory) before a test class and stops it after:
 * {@code @RegisterExtension static final GatewayExtension gateway = new GatewayExtension();}.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback {
    private final String yaml;
    private MeridianServer server;

    public GatewayExtension() {
        this("");
    }

    /** A gateway configured by {@code yaml} on top of {@link TestGateways#config(String)}'s test defaults. */
    public GatewayExtension(String yaml) {
        this.yaml = yaml;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestGateways.start(yaml);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public MeridianServer server() {
        return server;
    }
}

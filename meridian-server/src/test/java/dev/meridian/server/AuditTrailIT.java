package dev.meridian.server;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AuditTrailSuite} on the embedded store. */
class AuditTrailIT extends AuditTrailSuite {
    @RegisterExtension
    static final GatewayExtension gateway = new GatewayExtension();

    @Override
    MeridianServer server() {
        return gateway.server();
    }
}

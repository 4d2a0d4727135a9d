package dev.meridian.provider;

import java.net.ConnectException;

/**
 * Whether a failure was a connection that could not be made, so that nothing of the request was sent: the audit
 * names only regions a prompt may have reached. Clients wrap the socket's {@link ConnectException} at different
 * depths (the AWS SDK in an {@code SdkClientException}, Armeria in an {@code UnprocessedRequestException}), so the
 * whole cause chain is read.
 */
public final class RefusedConnection {
    private RefusedConnection() {}

    public static boolean in(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}

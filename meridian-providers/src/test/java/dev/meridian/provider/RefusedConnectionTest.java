package dev.meridian.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A refused connection is told apart however deep a client wrapped it, and nothing else is taken for one. */
class RefusedConnectionTest {

    @Test
    void aConnectExceptionAnywhereInTheCauses_isARefusedConnection() {
        ConnectException refused = new ConnectException("Connection refused");
        assertThat(RefusedConnection.in(refused)).isTrue();
        assertThat(RefusedConnection.in(new CompletionException(new IllegalStateException("sdk", refused))))
                .isTrue();
    }

    @Test
    void otherFailures_areNot() {
        assertThat(RefusedConnection.in(new IOException("Connection reset by peer")))
                .isFalse();
        assertThat(RefusedConnection.in(new CompletionException(new IllegalStateException("timeout"))))
                .isFalse();
    }
}

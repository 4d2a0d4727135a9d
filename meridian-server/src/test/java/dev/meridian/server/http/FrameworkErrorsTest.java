package dev.meridian.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.ResponseCompleteException;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import com.linecorp.armeria.common.stream.CancelledSubscriptionException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FrameworkErrorsTest {
    /** A request aborted because its answer went first (a 413) or its caller left is not a gateway failure. */
    @Test
    void anExchangeAlreadyOver_isNotAFailure_evenWrapped() {
        assertThat(FrameworkErrors.endedExchange(new CompletionException(ResponseCompleteException.get())))
                .isTrue();
        assertThat(FrameworkErrors.endedExchange(ClosedStreamException.get())).isTrue();
        assertThat(FrameworkErrors.endedExchange(CancelledSubscriptionException.get()))
                .isTrue();
        assertThat(FrameworkErrors.endedExchange(AbortedStreamException.get())).isTrue();
        assertThat(FrameworkErrors.endedExchange(ClosedSessionException.get())).isTrue();
    }

    @Test
    void aBug_isAFailure() {
        assertThat(FrameworkErrors.endedExchange(new IllegalStateException("bug")))
                .isFalse();
        assertThat(FrameworkErrors.endedExchange(new CompletionException(new NullPointerException())))
                .isFalse();
    }
}

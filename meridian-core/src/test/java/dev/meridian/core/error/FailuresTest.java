package dev.meridian.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void theCauseIsFoundBehindNestedFutureWrappers() {
        IllegalStateException root = new IllegalStateException("root");

        assertThat(Failures.cause(new CompletionException(new ExecutionException(root))))
                .isSameAs(root);
        assertThat(Failures.cause(root)).isSameAs(root);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(Failures.cause(empty)).isSameAs(empty);
    }

    @Test
    void aGatewayExceptionReachesTheCallerAsItIs() {
        GatewayException g = GatewayException.validation("bad field");
        List<Throwable> unexpected = new ArrayList<>();

        assertThat(Failures.forCaller(new CompletionException(g), unexpected::add))
                .isSameAs(g);
        assertThat(unexpected).isEmpty();
    }

    @Test
    void anythingElseIsAnInternalErrorWithoutItsDetailsAndIsReported() {
        IllegalStateException bug = new IllegalStateException("secret internals");
        List<Throwable> unexpected = new ArrayList<>();

        GatewayException shown = Failures.forCaller(new CompletionException(bug), unexpected::add);

        assertThat(shown.kind()).isEqualTo(ErrorKind.INTERNAL);
        assertThat(shown.getMessage()).isEqualTo("Internal server error.");
        assertThat(unexpected).containsExactly(bug);
    }
}

package dev.meridian.core.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * What a failure that travelled through futures really was, and what of it a caller may see. Every layer that
 * classifies failures (failover, providers, the API surfaces) asks here, so they all look through the same wrappers.
 */
public final class Failures {
    private Failures() {}

    /** The failure itself, without the {@link CompletionException}/{@link ExecutionException} futures wrap it in. */
    public static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The failure as a caller may see it: a {@link GatewayException} as it is, anything else as an internal error
     * whose details stay inside ({@code unexpected} receives the original, to log it).
     */
    public static GatewayException forCaller(Throwable failure, Consumer<Throwable> unexpected) {
        Throwable t = cause(failure);
        if (t instanceof GatewayException g) {
            return g;
        }
        unexpected.accept(t);
        return new GatewayException(ErrorKind.INTERNAL, "Internal server error.");
    }
}

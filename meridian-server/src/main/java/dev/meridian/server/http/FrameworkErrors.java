package dev.meridian.server.http;

import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseCompleteException;
import com.linecorp.armeria.common.stream.AbortedStreamException;
import com.linecorp.armeria.common.stream.CancelledSubscriptionException;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpStatusException;

/**
 * Which HTTP status an exception the server raised itself stands for, so that each surface's error handler only
 * decides how to render it (Bedrock's shape, OpenAI's error object).
 */
public final class FrameworkErrors {
    /** The message for a body over {@code server.maxRequestBytes}, the same in every surface's format. */
    public static final String TOO_LARGE_MESSAGE = "The request body is larger than this gateway accepts.";

    private FrameworkErrors() {}

    /**
     * Whether {@code cause} only says that the exchange is already over: the answer was sent before the body was
     * read (a 413), or the caller closed the stream or the connection. There is nobody left to answer, and nothing
     * went wrong in the gateway, so it is not logged as a failure.
     */
    public static boolean endedExchange(Throwable cause) {
        Throwable peeled = Exceptions.peel(cause);
        return peeled instanceof ResponseCompleteException
                || peeled instanceof ClosedStreamException
                || peeled instanceof CancelledSubscriptionException
                || peeled instanceof AbortedStreamException
                || peeled instanceof ClosedSessionException
                || Exceptions.isExpected(peeled);
    }

    /** 413 for a body over the limit, the status of an {@link HttpStatusException}; null for anything else. */
    public static HttpStatus statusOf(Throwable cause) {
        Throwable peeled = Exceptions.peel(cause);
        if (peeled instanceof ContentTooLargeException) {
            return HttpStatus.REQUEST_ENTITY_TOO_LARGE;
        }
        if (peeled instanceof HttpStatusException status) {
            return status.httpStatus();
        }
        return null;
    }
}

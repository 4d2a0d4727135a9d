package dev.meridian.server.http;

import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpStatus;
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

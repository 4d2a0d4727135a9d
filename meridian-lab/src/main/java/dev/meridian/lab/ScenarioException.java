package dev.meridian.lab;

/** A scenario file that cannot be run: the message names the key and what was expected. */
public final class ScenarioException extends RuntimeException {
    public ScenarioException(String message) {
        super(message);
    }
}

package dev.meridian.core.catalog;

/** Argument checks whose messages name the field, show the bad value and state the expectation. */
final class Checks {
    private Checks() {}

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    field + ": " + (value == null ? "missing" : "blank") + " (expected: a non-empty string)");
        }
        return value;
    }
}

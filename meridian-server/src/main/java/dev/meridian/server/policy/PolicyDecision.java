package dev.meridian.server.policy;

/**
 * The outcome of evaluating one request against a principal's policies, with the statement that decided it.
 *
 * @param outcome allowed, denied by an explicit deny, or denied because nothing allowed it
 * @param statement the deciding statement ({@code policy/sid}), or {@code null} for an implicit deny or an
 *     unenforced configuration
 */
public record PolicyDecision(Outcome outcome, String statement) {

    /** How the request was decided. */
    public enum Outcome {
        ALLOWED,
        EXPLICIT_DENY,
        IMPLICIT_DENY
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /** A short phrase for messages and {@code meridian explain}. */
    public String describe() {
        return switch (outcome) {
            case ALLOWED ->
                statement == null ? "allowed (no policy attached: unrestricted)" : "allowed by " + statement;
            case EXPLICIT_DENY -> "denied explicitly by " + statement;
            case IMPLICIT_DENY -> "denied: no statement allows it";
        };
    }
}

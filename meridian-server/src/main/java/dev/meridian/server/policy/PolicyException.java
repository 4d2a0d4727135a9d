package dev.meridian.server.policy;

/** A policy document that cannot be used; the message names the document, the line and the reason. */
public final class PolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String policyName, int line, String reason) {
        super("policy '" + policyName + "' line " + line + ": " + reason);
    }
}

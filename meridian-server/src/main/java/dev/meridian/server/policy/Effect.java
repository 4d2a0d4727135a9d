package dev.meridian.server.policy;

/** A statement's effect; an explicit {@link #DENY} always wins over any {@link #ALLOW}. */
public enum Effect {
    ALLOW,
    DENY
}

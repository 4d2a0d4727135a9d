package dev.meridian.core.route;

/** Why a candidate sits where it does in a plan; states are ordered from most to least preferred. */
public enum CandidateState {
    /** Has headroom (or unknown capacity) and no open circuit. */
    AVAILABLE,
    /** At or above its known capacity: tried only after every available candidate. */
    SATURATED,
    /** Recently unreachable: tried last. */
    CIRCUIT_OPEN
}

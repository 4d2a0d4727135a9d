package dev.meridian.core.route;

/**
 * One allowed destination as the router ranked it.
 *
 * @param region the destination region
 * @param state availability class; plans order by state first
 * @param expectedLatencyMs the router's estimate: round trip plus service time scaled by load and penalty
 * @param rttMs estimated network round trip from the source region
 * @param signals the live signals the estimate used
 */
public record Candidate(
        String region, CandidateState state, double expectedLatencyMs, double rttMs, SignalSnapshot signals) {}

package dev.meridian.core.route;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The order in which to try the allowed destinations for one request, best first.
 *
 * <p>Most requests succeed at their first destination, so a plan from the {@link Router} knows its best candidate
 * and computes the rest of the order only when it is first asked for (by failover, {@code explain} or an error
 * message), on the signals of that moment. The first candidate never changes.
 */
public final class RoutingPlan {
    private final Candidate first;
    private final int size;
    private Supplier<List<Candidate>> rest;
    private volatile List<Candidate> candidates;

    /** A plan ranked up front; {@code candidates} is every allowed destination, never a region outside the set. */
    public RoutingPlan(List<Candidate> candidates) {
        this.candidates = List.copyOf(candidates);
        this.first = this.candidates.isEmpty() ? null : this.candidates.get(0);
        this.size = this.candidates.size();
    }

    private RoutingPlan(Candidate first, int size, Supplier<List<Candidate>> ranked) {
        this.first = Objects.requireNonNull(first, "first");
        this.size = size;
        this.rest = ranked;
    }

    /**
     * A plan of {@code size} candidates whose best is {@code first}; {@code ranked} computes the whole order
     * (starting with {@code first}) when it is needed.
     */
    static RoutingPlan ranked(Candidate first, int size, Supplier<List<Candidate>> ranked) {
        return new RoutingPlan(first, size, ranked);
    }

    /** Every candidate, best first. */
    public List<Candidate> candidates() {
        List<Candidate> c = candidates;
        if (c == null) {
            synchronized (this) {
                c = candidates;
                if (c == null) {
                    c = List.copyOf(rest.get());
                    candidates = c;
                    rest = null;
                }
            }
        }
        return c;
    }

    /** The region of the candidate at {@code index}; the best one without ranking the rest. */
    public String region(int index) {
        return index == 0 && first != null
                ? first.region()
                : candidates().get(index).region();
    }

    /** The best candidate, or {@code null} when nothing is allowed. */
    public Candidate first() {
        return first;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public String toString() {
        return "RoutingPlan" + candidates();
    }
}

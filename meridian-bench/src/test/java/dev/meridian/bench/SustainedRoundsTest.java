package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SustainedRoundsTest {
    private static final List<String> TARGETS = List.of("direct", "nginx", "gateway-a", "gateway-b");

    @Test
    void twoGatewaysSwapPositionsEverySecondRoundBehindTheBaselines() {
        assertThat(TargetOrder.inRound(TARGETS, 0)).containsExactly("direct", "nginx", "gateway-a", "gateway-b");
        assertThat(TargetOrder.inRound(TARGETS, 1)).containsExactly("direct", "nginx", "gateway-b", "gateway-a");
        assertThat(TargetOrder.inRound(TARGETS, 2)).containsExactly("direct", "nginx", "gateway-a", "gateway-b");
    }

    @Test
    void everyGatewayTakesEveryPositionOnceInAsManyRoundsAsThereAreGateways() {
        List<String> targets = List.of("direct", "nginx", "a", "b", "c", "d");
        Map<String, Set<Integer>> positions = new HashMap<>();
        for (int round = 0; round < 4; round++) {
            List<String> order = TargetOrder.inRound(targets, round);
            assertThat(order.subList(0, 2)).containsExactly("direct", "nginx");
            for (int i = 2; i < order.size(); i++) {
                positions.computeIfAbsent(order.get(i), g -> new HashSet<>()).add(i);
            }
        }
        assertThat(positions)
                .hasSize(4)
                .allSatisfy((gateway, seen) -> assertThat(seen).containsExactlyInAnyOrder(2, 3, 4, 5));
        assertThat(TargetOrder.inRound(List.of("direct", "a"), 3)).containsExactly("direct", "a");
    }

    @Test
    void ratiosArePairedWithinARoundNotTakenBetweenMedians() {
        SustainedRounds rounds = new SustainedRounds(TARGETS);
        // the machine is twice as fast in round 1; the gateway keeps half of nginx's throughput in every round
        rounds.add(0, "nginx", run(10_000));
        rounds.add(0, "gateway-a", run(5_000));
        rounds.add(1, "nginx", run(20_000));
        rounds.add(1, "gateway-a", run(10_000));
        rounds.add(2, "nginx", run(12_000));
        rounds.add(2, "gateway-a", run(6_000));

        assertThat(rounds.ratios("gateway-a", "nginx")).containsExactly(0.5, 0.5, 0.5);
        assertThat(SustainedRounds.median(rounds.ratios("gateway-a", "nginx"))).isEqualTo(0.5);
        // the ratio of the medians (6,000 / 12,000) happens to agree here; shift one round and it no longer does
        rounds.add(2, "gateway-a", run(9_000));
        assertThat(SustainedRounds.median(rounds.ratios("gateway-a", "nginx"))).isEqualTo(0.5);
        String gatewayRow = rounds.summary()
                .lines()
                .filter(l -> l.startsWith("gateway-a "))
                .findFirst()
                .orElseThrow();
        assertThat(gatewayRow.split("\\s+")).containsExactly("gateway-a", "9000", "1000", "0.50", "100.0", "us");
        assertThat(rounds.summary())
                .contains("gateway-a                vs nginx by round [0.50, 0.50, 0.75] (range 0.50–0.75)");
    }

    @Test
    void anABIsReadRoundByRoundSoThatTheMachinesDriftCancels() {
        SustainedRounds rounds = new SustainedRounds(TARGETS);
        // the machine slows down by half in round 1; gateway-b does 10 % less work in every round
        rounds.add(0, "gateway-a", new SustainedRounds.Run(5_000, 1_000, 200));
        rounds.add(0, "gateway-b", new SustainedRounds.Run(5_500, 1_000, 180));
        rounds.add(1, "gateway-a", new SustainedRounds.Run(2_500, 1_000, 400));
        rounds.add(1, "gateway-b", new SustainedRounds.Run(2_750, 1_000, 360));
        rounds.add(2, "gateway-a", new SustainedRounds.Run(6_000, 1_000, 170));
        rounds.add(3, "gateway-b", new SustainedRounds.Run(1_000, 1_000, 900)); // no pair: left out

        assertThat(rounds.paired("gateway-a", "gateway-b"))
                .isEqualTo("gateway-b vs gateway-a, paired by round: throughput [1.10, 1.10] (median 1.10),"
                        + " CPU per request [-20.0, -40.0] us (median -30.0 us); gateway-b ahead in 2 of 2 rounds,"
                        + " gateway-a in 0\n");
        assertThat(rounds.paired("gateway-a", "nginx")).isEmpty();
    }

    @Test
    void directIsNeverComparedAndNothingWithItself() {
        SustainedRounds rounds = new SustainedRounds(TARGETS);
        rounds.add(0, "direct", run(20_000));
        rounds.add(0, "nginx", run(15_000));
        rounds.add(0, "gateway-b", run(6_000));

        assertThat(rounds.ratio("direct", "nginx", 0)).isNaN();
        assertThat(rounds.ratio("nginx", "nginx", 0)).isNaN();
        assertThat(rounds.ratio("nginx", "direct", 0)).isCloseTo(0.75, within(1e-9));
        assertThat(rounds.ratio("gateway-b", "nginx", 0)).isCloseTo(0.4, within(1e-9));
        assertThat(rounds.ratio("gateway-a", "nginx", 0)).isNaN(); // did not run
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(SustainedRounds.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(SustainedRounds.median(new double[] {7})).isEqualTo(7);
        assertThat(SustainedRounds.median(new double[] {})).isNaN();
    }

    private static SustainedRounds.Run run(double rps) {
        return new SustainedRounds.Run(rps, 1_000, 100);
    }
}

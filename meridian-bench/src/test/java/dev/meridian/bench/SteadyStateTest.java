package dev.meridian.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SteadyStateTest {
    @Test
    void aProcessStillCompilingIsNotSteadyUntilItsCpuPerRequestStopsFalling() {
        SteadyState state = new SteadyState(0.05);
        // the gateway's warm-up as measured: the compiler's share shrinking, then gone
        assertThat(state.steadyAfter(610)).isFalse();
        assertThat(state.steadyAfter(420)).isFalse();
        assertThat(state.steadyAfter(300)).isFalse();
        assertThat(state.steadyAfter(240)).isFalse();
        assertThat(state.steadyAfter(232)).isFalse(); // one slice within 5 % of the one before: not yet
        assertThat(state.steadyAfter(228)).isTrue();
    }

    @Test
    void aPlateauWhileTheCompilerIsStillAtWorkDoesNotEndTheWarmUp() {
        SteadyState state = new SteadyState(0.05);
        // a gateway's slices as measured: 655 -> 670 is within 5 %, and the compiler was not done
        for (double cpu : new double[] {1815, 1329, 655, 670, 577, 319, 310}) {
            assertThat(state.steadyAfter(cpu)).isFalse();
        }
        assertThat(state.steadyAfter(305)).isTrue();
    }

    @Test
    void aRiseBeyondTheToleranceIsNotSteadyEither() {
        SteadyState state = new SteadyState(0.05);
        assertThat(state.steadyAfter(100)).isFalse();
        assertThat(state.steadyAfter(120)).isFalse(); // a compile burst late in the warm-up
        assertThat(state.steadyAfter(118)).isFalse();
        assertThat(state.steadyAfter(121)).isTrue();
    }

    @Test
    void theFirstSliceIsNeverSteadyAndNonsenseIsRefused() {
        assertThat(new SteadyState(0.05).steadyAfter(48)).isFalse();
        assertThatThrownBy(() -> new SteadyState(0.05).steadyAfter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SteadyState(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

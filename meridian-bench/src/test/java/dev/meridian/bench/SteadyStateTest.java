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
        assertThat(state.steadyAfter(232)).isTrue();
    }

    @Test
    void aRiseBeyondTheToleranceIsNotSteadyEither() {
        SteadyState state = new SteadyState(0.05);
        assertThat(state.steadyAfter(100)).isFalse();
        assertThat(state.steadyAfter(120)).isFalse(); // a compile burst late in the warm-up
        assertThat(state.steadyAfter(118)).isTrue();
    }

    @Test
    void theFirstSliceIsNeverSteadyAndNonsenseIsRefused() {
        assertThat(new SteadyState(0.05).steadyAfter(48)).isFalse();
        assertThatThrownBy(() -> new SteadyState(0.05).steadyAfter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SteadyState(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

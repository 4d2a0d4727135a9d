package dev.meridian.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;

class KnownKeysTest {
    @Property
    void distance_isZeroOnlyForEqualStrings_symmetric_andAtMostTheLongerLength(
            @ForAll @AlphaChars @StringLength(max = 12) String a,
            @ForAll @AlphaChars @StringLength(max = 12) String b) {
        int d = KnownKeys.distance(a, b);
        assertThat(d == 0).isEqualTo(a.equals(b));
        assertThat(d).isEqualTo(KnownKeys.distance(b, a));
        assertThat(d).isBetween(Math.abs(a.length() - b.length()), Math.max(a.length(), b.length()));
    }

    @Property
    void oneEditAway_isDistanceOne(@ForAll @AlphaChars @StringLength(min = 1, max = 12) String a) {
        assertThat(KnownKeys.distance(a, a.substring(1))).isEqualTo(1);
        assertThat(KnownKeys.distance(a, a + "x")).isEqualTo(1);
    }
}

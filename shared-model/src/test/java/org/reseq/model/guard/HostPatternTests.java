package org.reseq.model.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPatternTests {

    @Test
    void aNameMatchesItselfIgnoringCaseAndATrailingDot() {
        HostPattern pattern = HostPattern.parse("Sink.Example");

        assertThat(pattern.matches("sink.example")).isTrue();
        assertThat(pattern.matches("SINK.EXAMPLE.")).isTrue();
        assertThat(pattern.matches("a.sink.example")).isFalse();
        assertThat(pattern.matches("sink.example.org")).isFalse();
        assertThat(pattern.matches(null)).isFalse();
    }

    @Test
    void aWildcardMatchesEveryNameBelowItsDomainButNotTheDomainItself() {
        HostPattern pattern = HostPattern.parse("*.internal.example");

        assertThat(pattern.matches("a.internal.example")).isTrue();
        assertThat(pattern.matches("b.c.internal.example")).isTrue();
        assertThat(pattern.matches("internal.example")).isFalse();
        assertThat(pattern.matches("xinternal.example")).isFalse();
        assertThat(pattern.matches("internal.example.evil")).isFalse();
    }

    @Test
    void onlyNamesAndLeadingWildcardsArePatterns() {
        for (String text : new String[] {"", "*", "a.*.example", "*example", "sink example", "-bad.example",
                "*.*.example", "a..b"}) {
            assertThatThrownBy(() -> HostPattern.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

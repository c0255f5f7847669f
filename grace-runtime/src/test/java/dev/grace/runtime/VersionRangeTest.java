package dev.grace.runtime;

import dev.grace.runtime.internal.discovery.VersionRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionRangeTest {

    @Test
    void halfOpenRangeContainsItsLowerBoundAndSnapshotsButNotItsUpperBound() {
        VersionRange r = VersionRange.parse("[0.1,1)");
        assertThat(r.contains("0.1.0-SNAPSHOT")).isTrue();
        assertThat(r.contains("0.9.7")).isTrue();
        assertThat(r.contains("1.0")).isFalse();
        assertThat(r.contains("0.0.9")).isFalse();
    }

    @Test
    void bareVersionMeansThatOrLaterAndBracketedMeansExactly() {
        assertThat(VersionRange.parse("0.2").contains("3.0")).isTrue();
        assertThat(VersionRange.parse("0.2").contains("0.1.9")).isFalse();
        assertThat(VersionRange.parse("[1.2]").contains("1.2.0")).isTrue();
        assertThat(VersionRange.parse("[1.2]").contains("1.2.1")).isFalse();
        assertThat(VersionRange.parse("(,1.5]").contains("1.5")).isTrue();
        assertThat(VersionRange.parse("(1.0,)").contains("1.0")).isFalse();
    }

    @Test
    void malformedRangeNamesTheTextAndTheAcceptedForms() {
        assertThatThrownBy(() -> VersionRange.parse("[1.0,2.0"))
                .hasMessage("version range \"[1.0,2.0\" is not of the form [1.0,2.0), (,1.5], [1.2] or 1.2");
        assertThatThrownBy(() -> VersionRange.parse("latest")).hasMessageContaining("\"latest\"");
    }

    @Test
    void aBoundWithAQualifierOrDashIsMalformedNotReadAsItsLeadingNumber() {
        assertThatThrownBy(() -> VersionRange.parse("0.1-1")).hasMessageContaining("\"0.1-1\"");
        assertThatThrownBy(() -> VersionRange.parse("[1.0-beta,2)")).hasMessageContaining("\"[1.0-beta,2)\"");
        assertThat(VersionRange.parse(" [0.1, 1) ").contains("0.5")).isTrue();
    }
}

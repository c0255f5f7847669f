package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunSummaryTest {

    @Test
    void numbersShowNoMoreDigitsThanTheyMean() {
        assertThat(RunSummary.number(Double.NaN)).isEqualTo("-");
        assertThat(RunSummary.number(0)).isEqualTo("0");
        assertThat(RunSummary.number(2)).isEqualTo("2");
        assertThat(RunSummary.number(1.98123)).isEqualTo("1.981");
        assertThat(RunSummary.number(0.0144)).isEqualTo("0.014");
        assertThat(RunSummary.number(16887.118)).isEqualTo("16887");
        assertThat(RunSummary.number(-42.5)).isEqualTo("-42.5");
        assertThat(RunSummary.number(0.00012)).isEqualTo("1.200e-04");
        assertThat(RunSummary.number(3e15)).isEqualTo("3.000e+15");
    }
}

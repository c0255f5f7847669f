package dev.grace.cognition.internal;

import dev.grace.store.internal.CatalogDao;
import dev.grace.runtime.cognition.Scores;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The worked example of docs/cognition.md, number for number. */
class ScorerTest {

    static final List<CatalogDao.CatalogKpi> CATALOG = List.of(
            new CatalogDao.CatalogKpi("security", "detection_recall", "security", "RATIO", "HIGHER_IS_BETTER", true, null),
            new CatalogDao.CatalogKpi("security", "false_positive_rate", "security", "RATIO", "LOWER_IS_BETTER", true, null),
            new CatalogDao.CatalogKpi("security", "response_time", "security", "SECONDS", "LOWER_IS_BETTER", true, 2.0),
            new CatalogDao.CatalogKpi("security", "threats_detected", "security", "COUNT", "HIGHER_IS_BETTER", false, null),
            new CatalogDao.CatalogKpi("ml", "model_accuracy", "ml", "RATIO", "HIGHER_IS_BETTER", true, null),
            new CatalogDao.CatalogKpi("ml", "training_time", "ml", "SECONDS", "LOWER_IS_BETTER", true, null));

    /** An hour of {@code n} values with this mean and sample standard deviation. */
    static CognitionDao.Figures figures(int n, double mean, double sd) {
        return new CognitionDao.Figures(n, n * mean, (n - 1) * sd * sd + n * mean * mean, mean - sd, mean + sd);
    }

    static final Map<String, Map<String, CognitionDao.Figures>> HOUR = Map.of(
            "security", Map.of("detection_recall", figures(12, 0.95, 0.05),
                    "false_positive_rate", figures(12, 0.04, 0.02),
                    "response_time", figures(12, 2.5, 0.5),
                    "threats_detected", figures(12, 3, 1)),
            "ml", Map.of("model_accuracy", figures(4, 0.80, 0.04)));

    @Test
    void theWorkedExample() {
        Scorer.HourScores s = Scorer.score(CATALOG, HOUR, Map.of("security", 2L), Map.of());
        Scores security = s.domains().get("security").scores();
        assertThat(security.health()).isCloseTo(0.903333, within(1e-6));
        assertThat(security.trust()).isCloseTo(0.96, within(1e-9));
        assertThat(security.confidence()).isCloseTo(0.968161, within(1e-6));
        assertThat(s.domains().get("security").kpis()).filteredOn(k -> k.kpi().equals("response_time"))
                .singleElement().satisfies(k -> assertThat(k.normalised()).isCloseTo(0.8, within(1e-9)));

        Scores ml = s.domains().get("ml").scores();
        assertThat(ml.health()).isCloseTo(0.80, within(1e-9));
        assertThat(ml.trust()).isEqualTo(1.0);
        assertThat(ml.confidence()).isCloseTo(0.960801, within(1e-6));
        assertThat(s.domains().get("ml").unscorable()).containsExactly("training_time");

        assertThat(s.overall().health()).isCloseTo(0.851667, within(1e-6));
        assertThat(s.overall().trust()).isCloseTo(0.98, within(1e-9));
        assertThat(s.overall().confidence()).isCloseTo(0.974750, within(1e-6));
    }

    @Test
    void aRatioWithATargetIsJudgedAgainstTheTargetNotAgainstOne() {
        List<CatalogDao.CatalogKpi> catalog = List.of(
                new CatalogDao.CatalogKpi("inventory", "fill_rate", "inventory", "RATIO", "HIGHER_IS_BETTER", true, 0.95),
                new CatalogDao.CatalogKpi("inventory", "accuracy", "inventory", "RATIO", "HIGHER_IS_BETTER", true, null));
        Map<String, Map<String, CognitionDao.Figures>> hour = Map.of("inventory",
                Map.of("fill_rate", figures(10, 0.71, 0.05), "accuracy", figures(10, 0.71, 0.05)));

        Scorer.DomainScore inventory = Scorer.score(catalog, hour, Map.of(), Map.of()).domains().get("inventory");

        assertThat(inventory.kpis()).filteredOn(k -> k.kpi().equals("fill_rate")).singleElement()
                .satisfies(k -> assertThat(k.normalised()).isCloseTo(0.71 / 0.95, within(1e-9)));
        assertThat(inventory.kpis()).filteredOn(k -> k.kpi().equals("accuracy")).singleElement()
                .satisfies(k -> assertThat(k.normalised()).isCloseTo(0.71, within(1e-9)));
        Scorer.DomainScore met = Scorer.score(catalog, Map.of("inventory", Map.of("fill_rate", figures(10, 0.97, 0.01))),
                Map.of(), Map.of()).domains().get("inventory");
        assertThat(met.kpis()).filteredOn(k -> k.kpi().equals("fill_rate")).singleElement()
                .satisfies(k -> assertThat(k.normalised()).as("at or over the target is fully healthy").isEqualTo(1.0));
    }

    @Test
    void weightsTiltTheOverallScoresAndAZeroWeightLeavesADomainOut() {
        Scorer.HourScores s = Scorer.score(CATALOG, HOUR, Map.of("security", 2L), Map.of("security", 3.0));
        assertThat(s.overall().health()).isCloseTo((3 * 0.903333 + 0.80) / 4, within(1e-6));
        Scorer.HourScores without = Scorer.score(CATALOG, HOUR, Map.of(), Map.of("ml", 0.0));
        assertThat(without.overall().health()).isCloseTo(0.903333, within(1e-6));
    }

    @Test
    void aDomainWithoutValuesIsAGapNotZeroAndTheOverallScoresLeaveItOut() {
        Scorer.HourScores s = Scorer.score(CATALOG, Map.of("ml", HOUR.get("ml")), Map.of(), Map.of());
        assertThat(s.domains().get("security").scores()).isEqualTo(Scores.GAP);
        assertThat(s.overall().health()).isCloseTo(0.80, within(1e-9));
        assertThat(Scorer.score(CATALOG, Map.of(), Map.of(), Map.of()).overall()).isEqualTo(Scores.GAP);
    }

    @Test
    void oneValueSaysNothingAboutItsSpreadSoConfidenceIsTheLowestItCanBe() {
        Scorer.HourScores s = Scorer.score(CATALOG, Map.of("ml", Map.of("model_accuracy", figures(1, 0.9, 0))),
                Map.of(), Map.of());
        assertThat(s.domains().get("ml").scores().confidence()).isCloseTo(1 - Scorer.Z95 * 0.5, within(1e-9));
    }

    @Test
    void trustCountsMissingKpisAndRejectedValues() {
        Map<String, Map<String, CognitionDao.Figures>> partial = Map.of("security",
                Map.of("detection_recall", figures(10, 0.9, 0.1)));
        Scores s = Scorer.score(CATALOG, partial, Map.of("security", 10L), Map.of()).domains().get("security").scores();
        assertThat(s.trust()).isCloseTo(1.0 / 3 * 10 / 20, within(1e-9));
    }
}

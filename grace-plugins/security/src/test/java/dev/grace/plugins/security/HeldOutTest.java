package dev.grace.plugins.security;

import org.junit.jupiter.api.Test;

import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detector judged on held-out samples ({@link HeldOut}), generated without reading its rules:
 * the figures the plugin publishes, and how they move when the detector is weakened and restored.
 */
class HeldOutTest {

    private final SecretDetector detector = new SecretDetector();

    /** Mean recall and false-positive rate over the samples of seeds 0..19. */
    private static double[] over20(Predicate<String> detects) {
        double recall = 0;
        double fpr = 0;
        for (long seed = 0; seed < 20; seed++) {
            Corpus.Evaluation e = HeldOut.sample(seed).evaluate(detects);
            recall += e.recall();
            fpr += e.falsePositiveRate();
        }
        return new double[] {recall / 20, fpr / 20};
    }

    @Test
    void aSeedGivesTheSameSampleAndAnotherSeedAnotherOne() {
        assertThat(HeldOut.sample(3)).isEqualTo(HeldOut.sample(3));
        assertThat(HeldOut.sample(3)).isNotEqualTo(HeldOut.sample(4));
        assertThat(HeldOut.sample(3).secrets()).hasSize(HeldOut.CASES);
    }

    @Test
    void theFullDetectorAgainstOnlyItsExactFormatRulesAndBack() {
        double[] full = over20(l -> detector.detect(l).isPresent());
        double[] exactOnly = over20(l -> detector.detect(l, true).isPresent()); // config_password and high_entropy off
        double[] restored = over20(l -> detector.detect(l).isPresent());
        assertThat(exactOnly[0]).as("weaker rules miss the passwords and generic keys").isLessThan(full[0] - 0.2);
        assertThat(restored).containsExactly(full);
        assertThat(full[0]).as("measured: 0.80 over seeds 0..19").isBetween(0.7, 0.9);
    }

    @Test
    void aLooserDetectorFlagsDecoysAndTheFalsePositiveRateRisesThenFallsBack() {
        double[] full = over20(l -> detector.detect(l).isPresent());
        // without the randomness test: every long run of base64-ish characters is called a secret
        double[] loose = over20(l -> detector.detect(l).isPresent() || l.matches(".*[A-Za-z0-9+/_-]{24,}.*"));
        assertThat(loose[1]).isGreaterThan(full[1] + 0.2);
        assertThat(over20(l -> detector.detect(l).isPresent())).containsExactly(full);
    }
}

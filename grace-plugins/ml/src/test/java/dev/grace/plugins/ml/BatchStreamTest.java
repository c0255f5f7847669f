package dev.grace.plugins.ml;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BatchStreamTest {

    @Test
    void batchesAreSeededResamplesWhoseMeansShiftByTheDrift() throws Exception {
        Dataset iris = LogisticRegressionTest.iris();
        BatchStream a = new BatchStream(iris, 100, 5, 0.5, 0, 7);
        BatchStream b = new BatchStream(iris, 100, 5, 0.5, 0, 7);
        assertThat(a.batch(3).train().x()).isDeepEqualTo(b.batch(3).train().x());
        assertThat(Arrays.deepEquals(a.batch(3).train().x(), a.batch(4).train().x())).isFalse();
        Dataset.Split first = a.batch(0);
        assertThat(first.train().size()).isEqualTo(80);
        assertThat(first.test().size()).isEqualTo(20);
        // Batch 10 is shifted by 0.5 * 10 = 5 standard deviations; sampling alone moves a mean far less.
        double shift = Dataset.meanShift(iris, Dataset.concat(List.of(a.batch(10).train(), a.batch(10).test())));
        assertThat(shift).isBetween(4.5, 5.5);
        assertThat(Dataset.meanShift(iris, Dataset.concat(List.of(first.train(), first.test())))).isLessThan(0.5);
    }

    @Test
    void labelNoiseChangesTrainingLabelsOnlyNeverTheHeldOutSlice() throws Exception {
        Dataset iris = LogisticRegressionTest.iris();
        Dataset.Split clean = new BatchStream(iris, 100, 5, 0, 0, 3).batch(2);
        Dataset.Split noisy = new BatchStream(iris, 100, 5, 0, 0.5, 3).batch(2);
        assertThat(noisy.test().y()).isEqualTo(clean.test().y());
        long changed = IntStream.range(0, 80).filter(i -> clean.train().y()[i] != noisy.train().y()[i]).count();
        assertThat(changed).isBetween(20L, 60L);
        assertThat(Arrays.stream(noisy.train().y()).max().orElseThrow()).isLessThan(3);
    }

    @Test
    void theGateRefusesAWorseCandidateAndOneThatIsOnlyAsGood() throws Exception {
        Dataset iris = LogisticRegressionTest.iris();
        Dataset.Split batch = new BatchStream(iris, 100, 5, 0, 0, 11).batch(1);
        LogisticRegression deployed = LogisticRegression.train(new BatchStream(iris, 100, 5, 0, 0, 11).batch(0).train(), 300, 0.5, 0.001);
        LogisticRegression worse = LogisticRegression.train(new BatchStream(iris, 100, 5, 0, 0.8, 11).batch(1).train(), 300, 0.5, 0.001);
        LogisticRegression.Evaluation current = deployed.evaluate(batch.test());
        LogisticRegression.Evaluation candidate = worse.evaluate(batch.test());
        assertThat(candidate.accuracy()).isLessThan(current.accuracy());
        assertThat(MlPlugin.admits(candidate, current, 0.05)).isFalse();
        assertThat(MlPlugin.admits(current, current, 0.05)).as("as good is not good enough").isFalse();
        assertThat(MlPlugin.admits(current, candidate, 0.05)).as("the reverse beats it").isTrue();
    }
}

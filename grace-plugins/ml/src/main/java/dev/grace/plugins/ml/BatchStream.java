package dev.grace.plugins.ml;

import java.util.SplittableRandom;

/**
 * Data arriving in batches, re-sampled from a base data set (by default the real Iris) by a seeded,
 * documented procedure. Batch {@code b} (0, 1, 2, ...) is made with {@code new SplittableRandom(seed + b)}:
 * {@code size} rows drawn uniformly with replacement from the base rows, each feature {@code j} shifted
 * by {@code drift * b * sd[j]} (sd: the base rows' standard deviation of that feature), so feature means
 * drift further with every batch. Within a batch, every {@code holdoutEvery}-th row is held out; with
 * probability {@code labelNoise} a training row's label is replaced by another class drawn uniformly
 * (held-out rows always keep their true label); that draw uses a generator split off first
 * ({@code random.split()}), so the rows are the same whatever the noise. The same arguments give the same batches.
 */
final class BatchStream {

    private final Dataset base;
    private final int size;
    private final int holdoutEvery;
    private final double drift;
    private final double labelNoise;
    private final long seed;
    private final double[] sd;

    BatchStream(Dataset base, int size, int holdoutEvery, double drift, double labelNoise, long seed) {
        this.base = base;
        this.size = size;
        this.holdoutEvery = holdoutEvery;
        this.drift = drift;
        this.labelNoise = labelNoise;
        this.seed = seed;
        this.sd = Dataset.stats(base.x())[1];
    }

    /** Batch {@code b}: its training rows and its held-out slice. */
    Dataset.Split batch(int b) {
        SplittableRandom random = new SplittableRandom(seed + b);
        // The label noise draws from its own generator, so a batch's rows do not depend on it.
        SplittableRandom noise = random.split();
        int d = base.features().size();
        int k = base.classes().size();
        double[][] x = new double[size][d];
        int[] y = new int[size];
        for (int i = 0; i < size; i++) {
            int r = random.nextInt(base.size());
            for (int j = 0; j < d; j++) {
                x[i][j] = base.x()[r][j] + drift * b * sd[j];
            }
            y[i] = base.y()[r];
            boolean heldOut = i % holdoutEvery == holdoutEvery - 1;
            if (!heldOut && labelNoise > 0 && noise.nextDouble() < labelNoise) {
                y[i] = (y[i] + 1 + noise.nextInt(k - 1)) % k;
            }
        }
        return new Dataset(base.features(), x, y, base.classes()).split(holdoutEvery);
    }
}

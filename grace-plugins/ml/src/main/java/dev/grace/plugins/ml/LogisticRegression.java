package dev.grace.plugins.ml;

import java.util.List;

/**
 * Multinomial (softmax) logistic regression, trained by full-batch gradient descent on standardized
 * features with a small L2 penalty, from all-zero weights. Deterministic: the same data and
 * parameters give the same model. Immutable once trained.
 */
final class LogisticRegression {

    private final List<String> features;
    private final List<String> classes;
    private final double[] mean;
    private final double[] scale;
    /** weights[k][j]: class k, feature j; the last column is the bias. */
    private final double[][] weights;

    private LogisticRegression(List<String> features, List<String> classes, double[] mean, double[] scale,
                               double[][] weights) {
        this.features = features;
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
    }

    /**
     * Trains on {@code data}.
     *
     * @param epochs       gradient steps over the whole set
     * @param learningRate step size
     * @param l2           penalty on the weights (not the bias)
     */
    static LogisticRegression train(Dataset data, int epochs, double learningRate, double l2) {
        int n = data.size();
        int d = data.features().size();
        int k = data.classes().size();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : data.x()) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : data.x()) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            // A constant column carries no information; dividing by 1 leaves it at 0 after centring.
            scale[j] = scale[j] > 0 ? Math.sqrt(scale[j]) : 1;
        }
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = standardize(data.x()[i], mean, scale);
        }
        double[][] w = new double[k][d + 1];
        double[][] grad = new double[k][d + 1];
        double[] p = new double[k];
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (double[] g : grad) {
                java.util.Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                softmax(w, z[i], p);
                for (int c = 0; c < k; c++) {
                    double err = p[c] - (data.y()[i] == c ? 1 : 0);
                    for (int j = 0; j < d; j++) {
                        grad[c][j] += err * z[i][j];
                    }
                    grad[c][d] += err;
                }
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    double penalty = j < d ? l2 * w[c][j] : 0;
                    w[c][j] -= learningRate * (grad[c][j] / n + penalty);
                }
            }
        }
        return new LogisticRegression(data.features(), data.classes(), mean, scale, w);
    }

    private static double[] standardize(double[] row, double[] mean, double[] scale) {
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            z[j] = (row[j] - mean[j]) / scale[j];
        }
        return z;
    }

    /** Class probabilities into {@code out}, computed stably (the largest logit subtracted first). */
    private static void softmax(double[][] w, double[] z, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double s = w[c][z.length];
            for (int j = 0; j < z.length; j++) {
                s += w[c][j] * z[j];
            }
            out[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < w.length; c++) {
            out[c] /= sum;
        }
    }

    /** Whether {@code data} has the columns this model was trained on, so it can be evaluated on it. */
    boolean reads(Dataset data) {
        return features.equals(data.features());
    }

    /** The most probable class's label for one sample's features. */
    String predict(double[] features) {
        double[] p = new double[weights.length];
        softmax(weights, standardize(features, mean, scale), p);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return classes.get(best);
    }

    /** Share of {@code test}'s samples predicted correctly, with the time the predictions took. */
    Evaluation evaluate(Dataset test) {
        int correct = 0;
        long started = System.nanoTime();
        for (int i = 0; i < test.size(); i++) {
            if (predict(test.x()[i]).equals(test.classes().get(test.y()[i]))) {
                correct++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Evaluation(test.size(), correct, seconds);
    }

    /** Held-out samples, how many were predicted right, and the seconds all predictions took. */
    record Evaluation(int samples, int correct, double seconds) {

        double accuracy() {
            return (double) correct / samples;
        }

        double secondsPerPrediction() {
            return seconds / samples;
        }
    }
}

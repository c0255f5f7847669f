package dev.grace.plugins.ml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled table read from CSV: a header line, numeric feature columns and the label in the last
 * column. Rows keep the file's order, which the held-out split relies on.
 *
 * @param features the feature columns' names
 * @param x        one row of features per sample
 * @param y        each sample's class, an index into {@code classes}
 * @param classes  the distinct labels in order of first appearance
 */
record Dataset(List<String> features, double[][] x, int[] y, List<String> classes) {

    /**
     * Parses CSV text (comma-separated, no quoting: numbers and plain labels). Errors name the origin,
     * the line and what was wrong.
     */
    static Dataset parse(String csv, String origin) {
        String[] lines = csv.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IllegalArgumentException(origin + " is empty; expected a header line and rows");
        }
        String[] header = lines[0].split(",", -1);
        if (header.length < 2) {
            throw new IllegalArgumentException(origin + " line 1: expected at least one feature column and a label"
                    + " column, got " + lines[0]);
        }
        int width = header.length;
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            if (cells.length != width) {
                throw new IllegalArgumentException(origin + " line " + (i + 1) + ": expected " + width
                        + " columns as in the header, got " + cells.length);
            }
            double[] row = new double[width - 1];
            for (int c = 0; c < width - 1; c++) {
                try {
                    row[c] = Double.parseDouble(cells[c].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(origin + " line " + (i + 1) + ", column " + header[c].strip()
                            + ": expected a number, got \"" + cells[c] + "\"");
                }
                if (!Double.isFinite(row[c])) {
                    throw new IllegalArgumentException(origin + " line " + (i + 1) + ", column " + header[c].strip()
                            + ": expected a finite number, got " + cells[c]);
                }
            }
            rows.add(row);
            labels.add(classes.computeIfAbsent(cells[width - 1].strip(), k -> classes.size()));
        }
        if (classes.size() < 2) {
            throw new IllegalArgumentException(origin + ": a classifier needs at least two classes in the last column, found "
                    + classes.keySet());
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < width - 1; c++) {
            names.add(header[c].strip());
        }
        return new Dataset(List.copyOf(names), rows.toArray(double[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(classes.keySet()));
    }

    int size() {
        return y.length;
    }

    /**
     * Splits deterministically: every {@code every}-th row (rows {@code every-1, 2*every-1, ...}) is held
     * out for testing, the rest train. No random numbers, so the split — and every figure measured on
     * it — is the same on every run.
     */
    Split split(int every) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            (i % every == every - 1 ? test : train).add(i);
        }
        return new Split(subset(train), subset(test));
    }

    private Dataset subset(List<Integer> rows) {
        double[][] sx = new double[rows.size()][];
        int[] sy = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            sx[i] = x[rows.get(i)];
            sy[i] = y[rows.get(i)];
        }
        return new Dataset(features, sx, sy, classes);
    }

    /** The rows of several data sets with the same columns and classes, in order. */
    static Dataset concat(List<Dataset> parts) {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (Dataset part : parts) {
            x.addAll(List.of(part.x()));
            for (int label : part.y()) {
                y.add(label);
            }
        }
        Dataset first = parts.get(0);
        return new Dataset(first.features(), x.toArray(double[][]::new),
                y.stream().mapToInt(Integer::intValue).toArray(), first.classes());
    }

    /** Per-feature mean ({@code [0]}) and population standard deviation ({@code [1]}) of {@code rows}. */
    static double[][] stats(double[][] rows) {
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / rows.length;
            }
        }
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / rows.length;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j]);
        }
        return new double[][] {mean, sd};
    }

    /**
     * The drift statistic: the largest, over features, of |mean of {@code current} − mean of
     * {@code reference}| in units of the reference's standard deviation (of 1 for a constant reference
     * column).
     */
    static double meanShift(Dataset reference, Dataset current) {
        double[][] ref = stats(reference.x());
        double[] now = stats(current.x())[0];
        double max = 0;
        for (int j = 0; j < now.length; j++) {
            double delta = Math.abs(now[j] - ref[0][j]);
            max = Math.max(max, delta / (ref[1][j] > 0 ? ref[1][j] : 1));
        }
        return max;
    }

    /** A training set and its held-out test set. */
    record Split(Dataset train, Dataset test) {
    }
}

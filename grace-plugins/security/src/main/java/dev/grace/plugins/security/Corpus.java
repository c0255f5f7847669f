package dev.grace.plugins.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled corpus shipped with the plugin ({@code corpus.tsv} next to this class): lines that are
 * secrets and lines that only look like them. Measuring the detector on it gives the recall and
 * false-positive rate the plugin publishes.
 */
record Corpus(List<String> secrets, List<String> decoys) {

    static final String RESOURCE = "corpus.tsv";

    Corpus {
        secrets = List.copyOf(secrets);
        decoys = List.copyOf(decoys);
        if (secrets.isEmpty() || decoys.isEmpty()) {
            throw new IllegalArgumentException("the security corpus needs secrets and decoys, has "
                    + secrets.size() + " and " + decoys.size());
        }
    }

    /** The shipped corpus. */
    static Corpus shipped() {
        try (InputStream in = Corpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the security plugin's jar lacks its corpus " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the security corpus " + RESOURCE, e);
        }
    }

    /** Lines {@code secret<TAB>text} or {@code decoy<TAB>text}; {@code #} comments and blank lines skipped. */
    static Corpus parse(String text) {
        List<String> secrets = new ArrayList<>();
        List<String> decoys = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String label = tab < 0 ? line : line.substring(0, tab);
            switch (label) {
                case "secret" -> secrets.add(line.substring(tab + 1));
                case "decoy" -> decoys.add(line.substring(tab + 1));
                default -> throw new IllegalArgumentException("corpus line " + n
                        + ": expected \"secret\" or \"decoy\", a tab and the text, got " + line);
            }
        }
        return new Corpus(secrets, decoys);
    }

    /** Runs {@code detector} over every line. */
    Evaluation evaluate(SecretDetector detector) {
        int detected = (int) secrets.stream().filter(l -> detector.detect(l).isPresent()).count();
        int falsePositives = (int) decoys.stream().filter(l -> detector.detect(l).isPresent()).count();
        return new Evaluation(secrets.size(), detected, decoys.size(), falsePositives);
    }

    /** How the detector did on the corpus. */
    record Evaluation(int secrets, int detected, int decoys, int falsePositives) {

        /** Secrets flagged / secrets. */
        double recall() {
            return (double) detected / secrets;
        }

        /** Decoys flagged / decoys. */
        double falsePositiveRate() {
            return (double) falsePositives / decoys;
        }
    }
}

package dev.grace.plugins.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory Okapi BM25 index over passages, with the usual parameters {@code k1 = 1.2} and
 * {@code b = 0.75} and the non-negative idf {@code ln(1 + (N - df + 0.5) / (df + 0.5))}. Terms are
 * lower-cased runs of letters and digits, without a short list of English stop words. Not
 * thread-safe: the plugin uses it from its one scheduler thread, and hosts through
 * {@link KnowledgePlugin#search(String, int)}, which synchronizes.
 */
final class Bm25Index {

    static final double K1 = 1.2;
    static final double B = 0.75;

    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for",
            "from", "how", "in", "is", "it", "of", "on", "or", "that", "the", "this", "to", "was", "what", "when",
            "which", "with");

    private final Map<String, Indexed> passages = new LinkedHashMap<>();
    private final Map<String, Integer> documentFrequency = new HashMap<>();
    private long totalLength;

    /** Adds {@code passage}, replacing one with the same id. */
    void add(Passage passage) {
        remove(passage.id());
        Map<String, Integer> tf = new HashMap<>();
        List<String> terms = terms(passage.text());
        terms.forEach(t -> tf.merge(t, 1, Integer::sum));
        tf.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
        passages.put(passage.id(), new Indexed(passage, Map.copyOf(tf), terms.size()));
        totalLength += terms.size();
    }

    /** Removes every passage of {@code file}. */
    void removeFile(String file) {
        passages.values().stream().filter(p -> p.passage().file().equals(file)).map(p -> p.passage().id())
                .toList().forEach(this::remove);
    }

    private void remove(String id) {
        Indexed old = passages.remove(id);
        if (old != null) {
            old.tf().keySet().forEach(t -> documentFrequency.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1));
            totalLength -= old.length();
        }
    }

    int size() {
        return passages.size();
    }

    /** The {@code k} best-scoring passages for {@code query}, best first; ties in insertion order. */
    List<Hit> search(String query, int k) {
        List<String> terms = terms(query).stream().distinct().toList();
        int n = passages.size();
        if (n == 0 || terms.isEmpty()) {
            return List.of();
        }
        double avgLength = (double) totalLength / n;
        List<Hit> hits = new ArrayList<>();
        for (Indexed p : passages.values()) {
            double score = 0;
            for (String t : terms) {
                Integer f = p.tf().get(t);
                if (f != null) {
                    int df = documentFrequency.get(t);
                    double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                    score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * p.length() / avgLength));
                }
            }
            if (score > 0) {
                hits.add(new Hit(p.passage(), score));
            }
        }
        hits.sort(Comparator.comparingDouble(Hit::score).reversed());
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    static List<String> terms(String text) {
        List<String> terms = new ArrayList<>();
        for (String t : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!t.isEmpty() && !STOP_WORDS.contains(t)) {
                terms.add(t);
            }
        }
        return terms;
    }

    private record Indexed(Passage passage, Map<String, Integer> tf, int length) {
    }

    /** A passage and its BM25 score for a query. */
    record Hit(Passage passage, double score) {
    }
}

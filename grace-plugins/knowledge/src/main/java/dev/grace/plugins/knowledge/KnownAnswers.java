package dev.grace.plugins.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Queries with known answers: each names the passage ({@code file#heading}) that should rank in the
 * top {@value #TOP} for it. The shipped set ({@code grace-docs-queries.tsv}) is written for Grace's own
 * {@code docs/}; the queries paraphrase, rather than repeat, the headings they expect.
 */
record KnownAnswers(List<Query> queries) {

    static final int TOP = 5;
    static final String SHIPPED = "grace-docs-queries.tsv";

    KnownAnswers {
        queries = List.copyOf(queries);
    }

    static KnownAnswers shipped() {
        try (InputStream in = KnownAnswers.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the knowledge plugin's jar lacks its query set " + SHIPPED);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped query set " + SHIPPED, e);
        }
    }

    /** Reads a query file; the cause names the key, the file and the line. */
    static KnownAnswers read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("plugins.knowledge.queries: cannot read " + file + ": " + e, e);
        }
    }

    /** Lines {@code file#heading<TAB>query}; {@code #} at the start of a line is a comment. */
    static KnownAnswers parse(String text, String origin) {
        List<Query> queries = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("plugins.knowledge.queries: " + origin + " line " + n
                        + ": expected the expected passage (file#heading), a tab and the query, got " + line);
            }
            queries.add(new Query(parts[0].strip(), parts[1].strip()));
        }
        return new KnownAnswers(queries);
    }

    /**
     * Asks every query and counts those whose expected passage ranks in the top {@value #TOP}. A query
     * whose passage is not in the index ({@code indexed} holds the passage ids) is a miss: the answer
     * it wants is not there to be found, which is exactly what retrieval should be judged on.
     */
    Evaluation evaluate(Bm25Index index, Set<String> indexed) {
        int found = 0;
        int missing = 0;
        for (Query q : queries) {
            if (!indexed.contains(q.expected())) {
                missing++;
                continue;
            }
            if (index.search(q.text(), TOP).stream().anyMatch(h -> h.passage().id().equals(q.expected()))) {
                found++;
            }
        }
        return new Evaluation(queries.size(), found, missing);
    }

    /** A query and the passage that answers it. */
    record Query(String expected, String text) {
    }

    /** How many queries were asked (all), answered in the top 5, and missed because their passage is not indexed. */
    record Evaluation(int asked, int found, int missingPassage) {
    }
}

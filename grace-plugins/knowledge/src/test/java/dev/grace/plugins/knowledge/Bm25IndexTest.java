package dev.grace.plugins.knowledge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Bm25IndexTest {

    @Test
    void aRareTermOutweighsACommonOneAndShortPassagesOutweighLongOnes() {
        Bm25Index index = new Bm25Index();
        index.add(new Passage("a.md", "A", "plugin plugin runtime"));
        index.add(new Passage("b.md", "B", "plugin quarantine"));
        index.add(new Passage("c.md", "C", "plugin quarantine " + "filler ".repeat(50)));
        index.add(new Passage("d.md", "D", "plugin runtime"));

        assertThat(index.search("quarantine plugin", 5)).extracting(h -> h.passage().id())
                .containsExactly("b.md#B", "c.md#C", "a.md#A", "d.md#D");
        assertThat(index.search("unknown words", 5)).isEmpty();
        assertThat(index.search("quarantine", 1)).extracting(h -> h.passage().id()).containsExactly("b.md#B");
    }

    @Test
    void removingAFileForgetsItsPassagesAndTheirTerms() {
        Bm25Index index = new Bm25Index();
        index.add(new Passage("a.md", "One", "alpha beta"));
        index.add(new Passage("a.md", "Two", "gamma"));
        index.add(new Passage("b.md", "", "alpha"));
        index.removeFile("a.md");
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.search("gamma", 5)).isEmpty();
        assertThat(index.search("alpha", 5)).extracting(h -> h.passage().id()).containsExactly("b.md");
    }

    @Test
    void termsAreLowerCaseWordsWithoutStopWords() {
        assertThat(Bm25Index.terms("The Plugin's class-loader, in 2 parts")).containsExactly("plugin", "s", "class", "loader", "2", "parts");
    }

    @Test
    void markdownSplitsAtHeadingsButNotInsideCodeFences() {
        String md = "intro\n# Title\ntext\n```\n# not a heading\n```\n## Next ##\nmore\n";
        assertThat(Sections.split("x.md", md)).extracting(Passage::id).containsExactly("x.md", "x.md#Title", "x.md#Next");
        assertThat(Sections.split("x.txt", "# plain text")).extracting(Passage::id).containsExactly("x.txt");
    }
}

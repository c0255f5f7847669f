package dev.grace.plugins.knowledge;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KnowledgePluginTest {

    /** The harness's clock starts here. */
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Path GRACE_DOCS = Path.of("../../docs");

    @TempDir
    Path dir;

    private Path write(Path file, String text, Duration age) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }

    @Test
    void answersEveryShippedKnownAnswerQueryInTheTopFiveOnGracesOwnDocs() {
        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin())
                .config("paths", GRACE_DOCS.toString()).config("interval", "1h").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            // The floor: all 12 shipped queries; docs that change enough to lose one should fail here.
            assertThat(h.values("recall_accuracy")).containsExactly(1.0);
            assertThat(h.values("ingestion_rate")).singleElement().satisfies(r -> assertThat(r).isPositive());
        }
    }

    @Test
    void measuresFreshnessDiversityAndTrustOfWhatItIngested() throws Exception {
        Path wiki = dir.resolve("wiki");
        Path notes = dir.resolve("notes");
        write(wiki.resolve("loading.md"), "# Class loading\nchild-first loaders see their own jars first\n", Duration.ZERO);
        write(wiki.resolve("ops/backups.md"), "# Backups\nnightly copies of the store\n", Duration.ofDays(30));
        write(notes.resolve("todo.txt"), "rotate the signing keys\n", Duration.ofDays(60));
        write(notes.resolve("ignored.pdf"), "not ingested", Duration.ZERO);
        Path queries = write(dir.resolve("q.tsv"), """
                loading.md#Class loading\twhich loader sees a jar's own classes first
                ops/backups.md#Backups\twhen are copies of the store made
                todo.txt\tsigning key rotation
                gone.md#Nowhere\ta query about a file that was never ingested
                """, Duration.ZERO);

        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin())
                .config("paths", wiki + "," + notes).config("trusted", wiki.toString())
                .config("queries", queries.toString()).config("halfLife", "30d").config("interval", "10s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.published()).extracting(p -> p.kpi()).containsExactly(
                    "ingestion_rate", "recall_accuracy", "source_diversity", "knowledge_freshness", "trust_score");
            assertThat(h.values("recall_accuracy")).as("3 of 4: the query about gone.md is a miss")
                    .containsExactly(0.75);
            assertThat(h.values("knowledge_freshness").get(0)).isCloseTo((1 + 0.5 + 0.25) / 3, within(1e-9));
            double p = 2.0 / 3;
            assertThat(h.values("source_diversity").get(0))
                    .isCloseTo(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2), within(1e-9));
            assertThat(h.values("trust_score")).as("every file readable, no link to break").containsExactly(1.0);

            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("ingestion_rate")).as("nothing changed, nothing ingested").hasSize(1);
            write(notes.resolve("todo.txt"), "rotate the signing keys today\n", Duration.ZERO);
            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("ingestion_rate")).as("only the changed file is ingested again").hasSize(2);
            // 20 s later every file is 20 s older: a few millionths less than (1 + 0.5 + 1) / 3.
            assertThat(h.values("knowledge_freshness").get(2)).isCloseTo((1 + 0.5 + 1) / 3, within(1e-5));
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void recallFallsWhenAnAnsweringFileGoesAndRecoversWhenItComesBack() throws Exception {
        Path wiki = dir.resolve("wiki");
        write(wiki.resolve("loading.md"), "# Class loading\nchild-first loaders see their own jars first\n", Duration.ZERO);
        write(wiki.resolve("backups.md"), "# Backups\nnightly copies of the store\n", Duration.ZERO);
        Path queries = write(dir.resolve("q.tsv"), """
                loading.md#Class loading\twhich loader sees a jar's own classes first
                backups.md#Backups\twhen are copies of the store made
                """, Duration.ZERO);
        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin()).config("paths", wiki.toString())
                .config("queries", queries.toString()).config("interval", "10s").start()) {
            assertThat(h.last("recall_accuracy")).hasValue(1.0);
            String backups = Files.readString(wiki.resolve("backups.md"));
            Files.delete(wiki.resolve("backups.md"));
            h.advance(Duration.ofSeconds(10));
            assertThat(h.last("recall_accuracy")).as("its answer is gone: a miss, not a query left out").hasValue(0.5);
            write(wiki.resolve("backups.md"), backups, Duration.ZERO);
            h.advance(Duration.ofSeconds(10));
            assertThat(h.last("recall_accuracy")).hasValue(1.0);
        }
    }

    @Test
    void trustFallsWithABrokenLinkOrAnUnreadableFileAndRecoversWhenTheyAreFixed() throws Exception {
        Path wiki = dir.resolve("wiki");
        write(wiki.resolve("index.md"), "# Index\nsee [backups](ops/backups.md#backups) and [site](https://grace.example/)\n",
                Duration.ZERO);
        write(wiki.resolve("ops/backups.md"), "# Backups\nnightly, see [the index](../index.md)\n", Duration.ZERO);
        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin()).config("paths", wiki.toString())
                .config("interval", "10s").start()) {
            assertThat(h.last("trust_score")).hasValue(1.0);
            Files.move(wiki.resolve("ops/backups.md"), wiki.resolve("backups-moved.md"));
            h.advance(Duration.ofSeconds(10));
            assertThat(h.last("trust_score")).as("index.md links to a file that moved; backups-moved.md's link"
                    + " ../index.md now points outside").hasValue(0.0);
            Files.move(wiki.resolve("backups-moved.md"), wiki.resolve("ops/backups.md"));
            h.advance(Duration.ofSeconds(10));
            assertThat(h.last("trust_score")).hasValue(1.0);
            Files.write(wiki.resolve("garbled.md"), new byte[] {(byte) 0xC3, (byte) 0x28});
            h.advance(Duration.ofSeconds(10));
            assertThat(h.last("trust_score")).as("2 of 3 files sound").hasValue(2.0 / 3);
            Files.writeString(wiki.resolve("garbled.md"), "# Fixed\nreadable now\n");
            h.advance(Duration.ofSeconds(10));
            assertThat(h.last("trust_score")).hasValue(1.0);
        }
    }

    @Test
    void aFileThatIsNotUtf8IsSkippedAndNotRetriedUntilItChanges() throws Exception {
        write(dir.resolve("good.md"), "# Good\nreadable text\n", Duration.ZERO);
        Files.write(dir.resolve("bad.md"), new byte[] {(byte) 0xC3, (byte) 0x28});
        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin()).config("paths", dir.toString())
                .config("interval", "10s").start()) {
            h.advance(Duration.ofSeconds(20));
            assertThat(h.values("ingestion_rate")).as("good.md once; bad.md never").hasSize(1);
            assertThat(h.values("trust_score")).as("bad.md is unreadable: 1 of 2 files sound").containsExactly(0.5, 0.5, 0.5);

            write(dir.resolve("bad.md"), "# Fixed\nnow it is text\n", Duration.ZERO);
            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("ingestion_rate")).hasSize(2);
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void searchReturnsTheBestPassagesFirst() throws Exception {
        write(dir.resolve("a.md"), "# Retention\nold hours are purged after the retention period\n# Backup\ncopies\n", Duration.ZERO);
        KnowledgePlugin plugin = new KnowledgePlugin();
        try (PluginHarness h = PluginHarness.forPlugin(plugin).config("paths", dir.toString()).start()) {
            assertThat(plugin.search("purge retention", 5)).extracting(KnowledgePlugin.Answer::passage)
                    .containsExactly("a.md#Retention");
            assertThat(h.values("recall_accuracy")).as("every shipped query asked; none of their passages is here").containsExactly(0.0);
        }
    }

    @Test
    void aMissingPathOrUnreadableQueryFileFailsThePluginNamingTheKey() {
        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin())
                .config("paths", dir.resolve("nowhere").toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.knowledge.paths").contains("nowhere").contains("does not exist");
        }
        try (PluginHarness h = PluginHarness.forPlugin(new KnowledgePlugin()).config("paths", dir.toString())
                .config("queries", dir.resolve("missing.tsv").toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.knowledge.queries").contains("missing.tsv");
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "knowledge").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/knowledge.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).config("paths", GRACE_DOCS.toAbsolutePath().toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("knowledge.jar");
            assertThat(h.values("recall_accuracy")).containsExactly(1.0);
            assertThat(h.values("source_diversity")).containsExactly(0.0);
        }
    }
}

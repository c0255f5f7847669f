package dev.grace.plugins.example;

import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DocScanPluginTest {

    @TempDir
    Path dir;

    @Test
    void publishesWhatTheScanOfTheConfiguredDirectoryMeasured() throws Exception {
        Files.writeString(dir.resolve("a.md"), "# Title\n\nthree words here\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.txt"), "two words");
        Files.write(dir.resolve("broken.md"), new byte[] {(byte) 0xC3, (byte) 0x28});
        Files.writeString(dir.resolve("ignored.bin"), "not scanned at all");
        long expectedBytes = Files.size(dir.resolve("a.md")) + Files.size(dir.resolve("sub/b.txt")) + 2;

        try (PluginHarness h = PluginHarness.forPlugin(new DocScanPlugin()).config("path", dir.toString())
                .config("interval", "1h").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.published()).extracting(p -> p.kpi())
                    .as("the first scan runs as soon as the plugin starts")
                    .containsExactly("files_scanned", "bytes_read", "words", "scan_time", "unreadable_share");
            assertThat(h.values("files_scanned")).containsExactly(3.0);
            assertThat(h.values("bytes_read")).containsExactly((double) expectedBytes);
            assertThat(h.values("words")).containsExactly(7.0);
            assertThat(h.values("unreadable_share")).containsExactly(1.0 / 3);
            assertThat(h.values("scan_time")).singleElement().satisfies(s -> assertThat(s).isPositive().isLessThan(10));
            assertThat(h.rejected()).isEmpty();
        }
    }

    @Test
    void scansAgainAtEachIntervalAndSeesNewFiles() throws Exception {
        Files.writeString(dir.resolve("a.md"), "one");
        try (PluginHarness h = PluginHarness.forPlugin(new DocScanPlugin()).config("path", dir.toString())
                .config("interval", "10s").start()) {
            Files.writeString(dir.resolve("b.md"), "two");
            h.advance(Duration.ofSeconds(25));
            assertThat(h.values("files_scanned")).containsExactly(1.0, 2.0, 2.0);
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void aMissingDirectoryFailsThePluginNamingTheKeyAndPath() {
        try (PluginHarness h = PluginHarness.forPlugin(new DocScanPlugin())
                .config("path", dir.resolve("nowhere").toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.example.path").contains("nowhere").contains("not a directory");
        }
    }

    @Test
    void countsWordsAcrossAnyWhitespace() {
        assertThat(DocScanPlugin.countWords("")).isZero();
        assertThat(DocScanPlugin.countWords("  one\ttwo\n\nthree  ")).isEqualTo(3);
        assertThat(DocScanPlugin.countWords(new String("é ü".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))).isEqualTo(2);
    }
}

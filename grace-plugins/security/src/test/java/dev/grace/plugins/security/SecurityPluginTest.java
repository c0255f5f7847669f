package dev.grace.plugins.security;

import dev.grace.runtime.HourlyRollup;
import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginHarness;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityPluginTest {

    @TempDir
    Path dir;

    /** Three planted secrets (one inside a jar) among decoys. */
    private Path plant() throws Exception {
        Path root = Files.createDirectories(dir.resolve("scan"));
        Files.writeString(root.resolve("app.properties"), """
                db.url=jdbc:h2:mem:test
                db.password=planted-test-value
                api_key: ${API_KEY}
                """);
        Files.writeString(root.resolve("id_rsa"), "-----BEGIN RSA PRIVATE KEY-----\nMIIEfake\n-----END RSA PRIVATE KEY-----\n");
        Files.writeString(root.resolve("package-lock.json"),
                "\"integrity\": \"sha512-Qm9vZ3xkZ2Jf7hYt0PLm2wZcVb8KrNQm9vZ3xkZ2Jf7hYt0PLm2wZcVb8KrN==\"\n"
                        + "\"id\": \"123e4567-e89b-12d3-a456-426614174000\"\n");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(root.resolve("bundled.jar")))) {
            jar.putNextEntry(new JarEntry("config/aws.txt"));
            jar.write("aws_access_key_id=AKIAFAKETESTKEY00007\nexample=AKIAIOSFODNN7EXAMPLE\n".getBytes());
            jar.closeEntry();
        }
        return root;
    }

    @Test
    void findsThePlantedSecretsAndNotTheDecoys() throws Exception {
        Path root = plant();
        PathScanner.Scan scan = new PathScanner(new SecretDetector(), 1 << 20).scan(List.of(root));
        assertThat(scan.findings()).extracting(f -> f.file().getFileName() + "!" + f.entry() + ":" + f.line() + " " + f.rule())
                .containsExactlyInAnyOrder(
                        "app.properties!:2 config_password",
                        "bundled.jar!config/aws.txt:1 cloud_access_key",
                        "id_rsa!:1 private_key");
        assertThat(scan.eligible()).isEqualTo(4);
        assertThat(scan.scanned()).isEqualTo(4);
    }

    @Test
    void publishesTheCorpusCheckThenTheScanAtEachInterval() throws Exception {
        Path root = plant();
        Files.writeString(dir.resolve("big.log"), "x".repeat(2000));
        try (PluginHarness h = PluginHarness.forPlugin(new SecurityPlugin())
                .config("paths", root + "," + dir.resolve("big.log")).config("maxFileBytes", "1000")
                .config("interval", "10s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.published()).extracting(p -> p.kpi()).containsExactly(
                    "detection_recall", "false_positive_rate", "threats_detected",
                    "findings", "findings", "findings", "findings", "findings", "response_time", "scan_coverage");
            assertThat(h.values("detection_recall")).as("the held-out sample of seed 0").containsExactly(SEED0.recall());
            assertThat(h.values("false_positive_rate")).containsExactly(SEED0.falsePositiveRate());
            assertThat(h.values("threats_detected")).containsExactly(3.0);
            assertThat(h.values("scan_coverage")).as("the oversized log is eligible but not scanned").containsExactly(4.0 / 5);
            assertThat(h.values("response_time")).singleElement().satisfies(s -> assertThat(s).isPositive().isLessThan(10));

            Files.writeString(root.resolve("deploy.env"), "GITHUB_TOKEN=ghp_" + "Fake0".repeat(7) + "X\n");
            h.advance(Duration.ofSeconds(10));
            assertThat(h.values("threats_detected")).containsExactly(3.0, 4.0);
            assertThat(h.values("detection_recall")).as("a new sample each scan").element(1)
                    .isEqualTo(HeldOut.sample(1).evaluate(l -> new SecretDetector().detect(l).isPresent()).recall());
            assertThat(h.rejected()).isEmpty();
            assertThat(h.failedTasks()).isZero();
        }
    }

    @Test
    void findingsArePublishedPerRuleFamilyAndSumToThreatsDetected() throws Exception {
        Path root = plant();
        try (PluginHarness h = PluginHarness.forPlugin(new SecurityPlugin())
                .config("paths", root.toString()).config("interval", "10s").start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            // Planted: one private key, one AWS key (in the jar), one config password; no token, nothing random.
            assertThat(family(h, "private_key")).containsExactly(1.0);
            assertThat(family(h, "cloud_access_key")).containsExactly(1.0);
            assertThat(family(h, "config_password")).containsExactly(1.0);
            assertThat(family(h, "token")).as("a family with no finding records 0").containsExactly(0.0);
            assertThat(family(h, "high_entropy")).containsExactly(0.0);

            Files.writeString(root.resolve("deploy.env"), "GITHUB_TOKEN=ghp_" + "Fake0".repeat(7) + "X\n"
                    + "SLACK=xoxb-" + "1234567890-abcdefABCDEF\n");
            Files.writeString(root.resolve("notes.txt"), "random run Zq8rT2vLx9Wm4Kp7Nb3Hs6Jd1Fg5Cy0\n");
            h.advance(Duration.ofSeconds(10));
            assertThat(family(h, "token")).containsExactly(0.0, 2.0);
            assertThat(family(h, "high_entropy")).containsExactly(0.0, 1.0);
            assertThat(family(h, "private_key")).containsExactly(1.0, 1.0);
            assertThat(h.values("threats_detected")).containsExactly(3.0, 6.0);

            // Per scan, the families add up to threats_detected; over the hour, the total to its series.
            for (int scan = 0; scan < 2; scan++) {
                int s = scan;
                double sum = SecretDetector.RULES.stream().mapToDouble(f -> family(h, f).get(s)).sum();
                assertThat(sum).isEqualTo(h.values("threats_detected").get(scan));
            }
            assertThat(h.series("findings")).extracting(r -> r.series()).containsExactlyInAnyOrder(
                    "family=cloud_access_key", "family=config_password", "family=high_entropy",
                    "family=private_key", "family=token");
            HourlyRollup total = h.currentHour("findings").orElseThrow();
            assertThat(total.count()).as("five families, two scans").isEqualTo(10);
            assertThat(total.sum()).isEqualTo(9.0)
                    .isEqualTo(h.series("findings").stream().mapToDouble(HourlyRollup::sum).sum());
            assertThat(h.rejected()).isEmpty();
            assertThat(h.stats().totalSeriesOverflow()).isZero();
        }
    }

    private static List<Double> family(PluginHarness h, String family) {
        return h.values("findings", Map.of("family", family));
    }

    @Test
    void aMissingConfiguredPathFailsThePluginNamingKeyAndPath() {
        try (PluginHarness h = PluginHarness.forPlugin(new SecurityPlugin())
                .config("paths", dir.resolve("nowhere").toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.FAILED);
            assertThat(h.status().cause()).contains("plugins.security.paths").contains("nowhere").contains("does not exist");
        }
    }

    @Test
    void withNoConfigItScansTheDataDirectoryWhichExistsAndAnAbsentPluginsDirectoryIsNoFailure() throws Exception {
        // The tests run in the module directory, which has no plugins/ folder.
        assertThat(Path.of("plugins")).doesNotExist();
        Path data = Files.createDirectories(dir.resolve("grace-data"));
        Files.writeString(data.resolve("notes.txt"), "db_password = Zq8!rT2@vLx9\n");
        try (PluginHarness h = PluginHarness.forPlugin(new SecurityPlugin()).dataDirectory(data).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.values("threats_detected")).as("the password in the data directory").containsExactly(1.0);
            assertThat(h.values("scan_coverage")).containsExactly(1.0);
            assertThat(h.values("detection_recall")).containsExactly(SEED0.recall());
        }
    }

    @Test
    void loadsAsAJarThroughTheRealRuntimeAndPublishesItsKpis() throws Exception {
        Path root = plant();
        Path jar = PluginJar.builder().library(Path.of("target/classes"))
                .manifest("Grace-Plugin-Id", "security").manifest("Grace-Api-Range", "[0.1,1)")
                .build(dir.resolve("jar/security.jar"));
        try (PluginHarness h = PluginHarness.forJar(jar).config("paths", root.toString()).start()) {
            assertThat(h.state()).isEqualTo(PluginState.RUNNING);
            assertThat(h.status().source()).endsWith("security.jar");
            assertThat(h.values("threats_detected")).containsExactly(3.0);
            assertThat(h.values("detection_recall")).containsExactly(SEED0.recall());
        }
    }

    static final Corpus.Evaluation SEED0 = HeldOut.sample(0).evaluate(l -> new SecretDetector().detect(l).isPresent());
}

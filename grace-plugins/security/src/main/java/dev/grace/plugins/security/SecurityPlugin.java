package dev.grace.plugins.security;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The security domain's plugin (the original design's "Hunter"): scans configured paths for secrets
 * — private keys, cloud access keys, tokens, passwords in config files, high-entropy strings — on a
 * schedule, and before each scan checks its own detector against a shipped labelled corpus, so the
 * recall and false-positive rate it publishes are measured, not assumed.
 *
 * <p>Config ({@code plugins.security.*}):
 * <ul>
 *   <li>{@code paths}: files and directories to scan. Default: {@code plugins} (the runtime's default
 *       plugins directory) and the config file named by {@code $GRACE_CONFIG} when that is set. A
 *       default path that does not exist is skipped and logged; a configured one fails the plugin.</li>
 *   <li>{@code interval}: time between scans, default {@code 5s}.</li>
 *   <li>{@code maxFileBytes}: larger files (and archive entries) are not scanned, default 1048576.</li>
 * </ul>
 *
 * <p>Findings are logged with file, line and rule, never with the matched text.
 */
public final class SecurityPlugin implements DomainPlugin {

    static final Kpi THREATS_DETECTED = Kpi.builder("threats_detected", Kpi.Unit.COUNT).lowerIsBetter()
            .healthBearing().description("Secrets one scan found in the configured paths").build();
    static final Kpi SCAN_COVERAGE = Kpi.builder("scan_coverage", Kpi.Unit.RATIO).target(1.0)
            .description("Files one scan read in full / regular files under the configured paths").build();
    static final Kpi RESPONSE_TIME = Kpi.builder("response_time", Kpi.Unit.SECONDS).lowerIsBetter()
            .description("Elapsed time of one scan of the configured paths, from the monotonic timer").build();
    static final Kpi FALSE_POSITIVE_RATE = Kpi.builder("false_positive_rate", Kpi.Unit.RATIO).lowerIsBetter()
            .healthBearing().description("Decoys flagged / decoys in a held-out sample generated before each scan"
                    + " (HeldOut, seed = scan number)").build();
    static final Kpi DETECTION_RECALL = Kpi.builder("detection_recall", Kpi.Unit.RATIO).target(1.0)
            .healthBearing().description("Secrets flagged / secrets in a held-out sample generated before each scan"
                    + " (HeldOut, seed = scan number)").build();

    /**
     * Informational, one value per rule family per scan (0 when the family found nothing), so its
     * total's sum over a scan is {@link #THREATS_DETECTED}'s value; not health-bearing: its mean is
     * per family, not per scan.
     */
    static final Kpi FINDINGS = Kpi.builder("findings", Kpi.Unit.COUNT).lowerIsBetter()
            .attribute("family", SecretDetector.RULES.toArray(String[]::new))
            .description("Secrets one scan found in the configured paths, in the series of the rule (family)"
                    + " that fired").build();

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.security");

    private final SecretDetector detector = new SecretDetector();
    /** Scans so far: the seed of the next held-out sample. */
    private long scans;
    private PathScanner scanner;
    private List<Path> paths;
    private MetricPublisher publisher;
    /** {@link #FINDINGS}' series, one per rule family, in {@link SecretDetector#RULES} order. */
    private Map<String, Kpi.Series> findingsByFamily;
    private java.util.Set<Finding> reported = java.util.Set.of();

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("security").domain("security").version("0.1.0").apiRange("[0.1,1)")
                .description("Scans for secrets and measures its own recall and false positives").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(THREATS_DETECTED, SCAN_COVERAGE, RESPONSE_TIME, FALSE_POSITIVE_RATE, DETECTION_RECALL, FINDINGS);
    }

    @Override
    public void start(PluginContext context) {
        List<String> configured = context.config().list("paths");
        if (configured.isEmpty()) {
            // dataDirectory() is <dataDir>/plugins/security
            paths = defaultPaths(context.dataDirectory().toAbsolutePath().getParent().getParent());
            paths.stream().filter(p -> !Files.exists(p)).forEach(p ->
                    LOG.info("{} does not exist: it counts as no eligible files", p));
        } else {
            paths = configured.stream().map(p -> Path.of(p).toAbsolutePath().normalize()).toList();
            for (Path p : paths) {
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("plugins.security.paths: " + p
                            + " does not exist; name existing files or directories");
                }
            }
        }
        long maxFileBytes = context.config().longValue("maxFileBytes", 1 << 20);
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("plugins.security.maxFileBytes: must be positive, got " + maxFileBytes);
        }
        scanner = new PathScanner(detector, maxFileBytes);
        publisher = context.publisher();
        findingsByFamily = new LinkedHashMap<>();
        for (String family : SecretDetector.RULES) {
            findingsByFamily.put(family, publisher.series(FINDINGS, "family", family));
        }
        Duration interval = context.config().duration("interval", Duration.ofSeconds(5));
        context.scheduler().scheduleWithFixedDelay(this::checkAndScan, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What exists by default: the data directory, the default plugins directory (its jars), the config file. */
    private static List<Path> defaultPaths(Path dataDir) {
        List<Path> paths = new ArrayList<>();
        paths.add(dataDir.normalize());
        paths.add(Path.of("plugins").toAbsolutePath().normalize());
        String configFile = System.getenv("GRACE_CONFIG");
        if (configFile != null && !configFile.isBlank()) {
            paths.add(Path.of(configFile).toAbsolutePath().normalize());
        }
        return List.copyOf(paths);
    }

    /** The self-check on a new held-out sample, then the scan. */
    private void checkAndScan() {
        Corpus.Evaluation eval = HeldOut.sample(scans++).evaluate(l -> detector.detect(l).isPresent());
        publisher.record(DETECTION_RECALL, eval.recall());
        publisher.record(FALSE_POSITIVE_RATE, eval.falsePositiveRate());

        PathScanner.Scan scan = scanner.scan(paths);
        publisher.record(THREATS_DETECTED, scan.findings().size());
        Map<String, Integer> perFamily = new LinkedHashMap<>();
        for (Finding f : scan.findings()) {
            perFamily.merge(f.rule(), 1, Integer::sum);
        }
        findingsByFamily.forEach((family, series) -> series.record(perFamily.getOrDefault(family, 0)));
        publisher.record(RESPONSE_TIME, scan.seconds());
        scan.coverage().ifPresent(c -> publisher.record(SCAN_COVERAGE, c));
        // Log what is new since the last scan only: the same file would otherwise be reported every interval.
        for (Finding f : scan.findings()) {
            if (!reported.contains(f)) {
                LOG.warn("possible secret: {}", f);
            }
        }
        reported = java.util.Set.copyOf(scan.findings());
    }
}

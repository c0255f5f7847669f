package dev.grace.plugins.knowledge;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The knowledge domain's plugin: ingests Markdown and text files into an in-memory BM25 index of
 * passages (Markdown sections), answers queries ({@link #search(String, int)}), and on each refresh
 * measures its own retrieval on known-answer queries (every query; one whose passage is missing is a
 * miss), the freshness and diversity of what it holds, and its trust: the share of files that are
 * readable and whose relative links resolve.
 *
 * <p>Config ({@code plugins.knowledge.*}): {@code paths} (default {@code docs, README.md}),
 * {@code extensions} ({@code md, txt}), {@code trusted} (sources counted as trusted; default: the
 * default paths when {@code paths} is not set, none otherwise), {@code queries} (a known-answer
 * file; default the shipped set for Grace's docs), {@code halfLife} ({@code 30d}), {@code interval}
 * ({@code 5s}). See {@code docs/plugins.md}.
 */
public final class KnowledgePlugin implements DomainPlugin {

    static final Kpi INGESTION_RATE = Kpi.builder("ingestion_rate", Kpi.Unit.PER_HOUR)
            .description("Files ingested in one refresh / the hours the ingestion took").build();
    static final Kpi RECALL_ACCURACY = Kpi.builder("recall_accuracy", Kpi.Unit.RATIO).healthBearing()
            .description("Known-answer queries whose passage ranks in the top 5 / every query in the set"
                    + " (a query whose passage is not ingested is a miss)").build();
    static final Kpi SOURCE_DIVERSITY = Kpi.builder("source_diversity", Kpi.Unit.RATIO)
            .description("Shannon entropy of files over configured sources, divided by its maximum").build();
    static final Kpi KNOWLEDGE_FRESHNESS = Kpi.builder("knowledge_freshness", Kpi.Unit.RATIO)
            .description("Mean over files of 0.5^(age / halfLife), age from the file's modification time").build();
    static final Kpi TRUST_SCORE = Kpi.builder("trust_score", Kpi.Unit.RATIO).healthBearing()
            .description("Files readable as UTF-8 text whose relative links all resolve / files found in the sources")
            .build();

    static final List<String> DEFAULT_PATHS = List.of("docs", "README.md");

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.knowledge");

    private Library library;
    private KnownAnswers knownAnswers;
    private Duration halfLife;
    private Clock clock;
    private MetricPublisher publisher;
    private int lastMissing;

    /** A passage that answers a query, and its BM25 score. */
    public record Answer(String passage, String text, double score) {
    }

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("knowledge").domain("knowledge").version("0.1.0").apiRange("[0.1,1)")
                .description("A BM25 index of documents that measures its recall on known-answer queries").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(INGESTION_RATE, RECALL_ACCURACY, SOURCE_DIVERSITY, KNOWLEDGE_FRESHNESS, TRUST_SCORE);
    }

    @Override
    public void start(PluginContext context) {
        List<String> configured = context.config().list("paths");
        List<String> paths = configured.isEmpty() ? DEFAULT_PATHS : configured;
        List<String> trustedNames = configured.isEmpty() && context.config().string("trusted").isEmpty()
                ? DEFAULT_PATHS : context.config().list("trusted");
        Set<Path> trusted = trustedNames.stream().map(KnowledgePlugin::absolute).collect(Collectors.toSet());
        List<Library.Source> sources = paths.stream().map(KnowledgePlugin::absolute)
                .map(p -> new Library.Source(p, trusted.contains(p))).toList();
        for (Library.Source s : sources) {
            if (!Files.exists(s.path())) {
                throw new IllegalArgumentException("plugins.knowledge.paths: " + s.path() + " does not exist"
                        + (configured.isEmpty() ? " (the default is docs, README.md in the working directory)" : ""));
            }
        }
        for (Path t : trusted) {
            if (sources.stream().noneMatch(s -> s.path().equals(t))) {
                throw new IllegalArgumentException("plugins.knowledge.trusted: " + t + " is not one of the paths "
                        + sources.stream().map(Library.Source::path).toList());
            }
        }
        List<String> extensions = context.config().list("extensions");
        library = new Library(sources, Set.copyOf(extensions.isEmpty() ? List.of("md", "txt") : extensions));
        knownAnswers = context.config().string("queries").map(q -> KnownAnswers.read(absolute(q)))
                .orElseGet(KnownAnswers::shipped);
        halfLife = context.config().duration("halfLife", Duration.ofDays(30));
        if (halfLife.isZero() || halfLife.isNegative()) {
            throw new IllegalArgumentException("plugins.knowledge.halfLife: must be positive, got " + halfLife);
        }
        clock = context.clock();
        publisher = context.publisher();
        Duration interval = context.config().duration("interval", Duration.ofSeconds(5));
        context.scheduler().scheduleWithFixedDelay(this::refreshAndMeasure, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** The {@code k} passages that best answer {@code query}, best first; empty before the first refresh. */
    public List<Answer> search(String query, int k) {
        synchronized (this) {
            if (library == null) {
                return List.of();
            }
            return library.index().search(query, k).stream()
                    .map(h -> new Answer(h.passage().id(), h.passage().text(), h.score())).toList();
        }
    }

    private void refreshAndMeasure() {
        synchronized (this) {
            Library.Refresh refresh;
            try {
                refresh = library.refresh();
            } catch (IOException e) {
                LOG.warn("refresh of {} failed, nothing measured: {}", library.sources(), e.toString());
                return;
            }
            if (refresh.unreadable() > 0) {
                LOG.warn("{} files are not UTF-8 text and were not ingested", refresh.unreadable());
            }
            if (refresh.ingested() > 0 && refresh.seconds() > 0) {
                publisher.record(INGESTION_RATE, refresh.ingested() / (refresh.seconds() / 3600));
            }
            KnownAnswers.Evaluation eval = knownAnswers.evaluate(library.index(), library.passageIds());
            if (eval.missingPassage() > 0 && eval.missingPassage() != lastMissing) {
                LOG.warn("{} of {} known-answer queries expect a passage that is not ingested; they count as misses",
                        eval.missingPassage(), eval.asked());
            }
            lastMissing = eval.missingPassage();
            if (eval.asked() > 0) {
                publisher.record(RECALL_ACCURACY, (double) eval.found() / eval.asked());
            }
            List<Library.Document> docs = library.documents();
            if (!docs.isEmpty()) {
                publisher.record(SOURCE_DIVERSITY, diversity(docs, library.sources().size()));
                publisher.record(KNOWLEDGE_FRESHNESS, freshness(docs, clock.instant(), halfLife));
            }
            int files = docs.size() + library.unreadableFiles();
            if (files > 0) {
                long sound = docs.stream().filter(d -> d.brokenLinks() == 0).count();
                publisher.record(TRUST_SCORE, (double) sound / files);
            }
        }
    }

    /** Normalized Shannon entropy of files over sources; 0 with one source (all from one place). */
    static double diversity(List<Library.Document> docs, int sources) {
        if (sources < 2) {
            return 0;
        }
        Map<Path, Long> perSource = docs.stream()
                .collect(Collectors.groupingBy(d -> d.source().path(), Collectors.counting()));
        double h = 0;
        for (long n : perSource.values()) {
            double p = (double) n / docs.size();
            h -= p * Math.log(p);
        }
        return Math.min(1, h / Math.log(sources));
    }

    /** Mean of {@code 0.5^(age / halfLife)}; a file modified after {@code now} counts as age 0. */
    static double freshness(List<Library.Document> docs, Instant now, Duration halfLife) {
        double sum = 0;
        for (Library.Document d : docs) {
            double age = Math.max(0, Duration.between(d.modified(), now).toMillis());
            sum += Math.pow(0.5, age / halfLife.toMillis());
        }
        return sum / docs.size();
    }
}

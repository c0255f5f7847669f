package dev.grace.plugins.example;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The example plugin: scans a directory of text files on a schedule and publishes what each scan
 * measured — how many files it read, how many bytes and words they held, how long the scan took and
 * what share of files could not be read as UTF-8 text. It stands in for the reference domain plugins
 * until they exist, and shows the shape of a plugin: declared KPIs, config read at start, work on
 * the plugin's own scheduler, values measured from that work.
 *
 * <p>Config ({@code plugins.example.*}): {@code path} (default {@code docs}), {@code interval}
 * (default {@code 5s}), {@code extensions} (default {@code md,txt}).
 */
public final class DocScanPlugin implements DomainPlugin {

    static final Kpi FILES_SCANNED = Kpi.builder("files_scanned", Kpi.Unit.COUNT)
            .description("Files with a configured extension read by one scan").build();
    static final Kpi BYTES_READ = Kpi.builder("bytes_read", Kpi.Unit.BYTES)
            .description("Bytes read by one scan").build();
    static final Kpi WORDS = Kpi.builder("words", Kpi.Unit.COUNT)
            .description("Whitespace-separated words in the files one scan read").build();
    static final Kpi SCAN_TIME = Kpi.builder("scan_time", Kpi.Unit.SECONDS).lowerIsBetter().target(1.0)
            .healthBearing().description("Elapsed time of one scan, from the monotonic nanosecond timer").build();
    static final Kpi UNREADABLE_SHARE = Kpi.builder("unreadable_share", Kpi.Unit.RATIO).lowerIsBetter()
            .healthBearing().description("Share of files one scan could not read as UTF-8 text").build();

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.example");

    private Path root;
    private Set<String> extensions;
    private MetricPublisher publisher;

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("example").domain("example").version("0.1.0")
                .description("Scans a directory of text files and publishes what each scan measured").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(FILES_SCANNED, BYTES_READ, WORDS, SCAN_TIME, UNREADABLE_SHARE);
    }

    @Override
    public void start(PluginContext context) {
        root = context.config().path("path", Path.of("docs")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("plugins.example.path: " + root + " is not a directory");
        }
        extensions = Set.copyOf(context.config().list("extensions").isEmpty()
                ? List.of("md", "txt") : context.config().list("extensions"));
        Duration interval = context.config().duration("interval", Duration.ofSeconds(5));
        publisher = context.publisher();
        context.scheduler().scheduleWithFixedDelay(this::scanAndPublish, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One scan, measured. Package-private for tests. */
    Scan scan() throws IOException {
        long started = System.nanoTime();
        int files = 0;
        int unreadable = 0;
        long bytes = 0;
        long words = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).filter(this::wanted)::iterator) {
                files++;
                try {
                    byte[] content = Files.readAllBytes(file);
                    bytes += content.length;
                    words += countWords(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content)));
                } catch (CharacterCodingException | java.nio.file.AccessDeniedException e) {
                    unreadable++;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Scan(files, unreadable, bytes, words, seconds);
    }

    private void scanAndPublish() {
        try {
            Scan s = scan();
            publisher.record(FILES_SCANNED, s.files());
            publisher.record(BYTES_READ, s.bytes());
            publisher.record(WORDS, s.words());
            publisher.record(SCAN_TIME, s.seconds());
            if (s.files() > 0) {
                publisher.record(UNREADABLE_SHARE, (double) s.unreadable() / s.files());
            }
        } catch (IOException e) {
            LOG.warn("scan of {} failed: {}", root, e.toString());
        }
    }

    private boolean wanted(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && extensions.contains(name.substring(dot + 1));
    }

    static long countWords(CharSequence text) {
        long words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return words;
    }

    /** What one scan found and how long it took. */
    record Scan(int files, int unreadable, long bytes, long words, double seconds) {
    }
}

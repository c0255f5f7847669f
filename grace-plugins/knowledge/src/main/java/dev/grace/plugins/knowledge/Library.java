package dev.grace.plugins.knowledge;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ingested files and the index over their passages. Each {@link #refresh()} lists the sources,
 * ingests files that are new or changed since the last refresh (by modification time), and drops
 * files that are gone. Not thread-safe: callers synchronize.
 */
final class Library {

    /** A configured source: a directory or one file, and whether config marks it trusted. */
    record Source(Path path, boolean trusted) {
    }

    /**
     * An ingested file.
     *
     * @param links the files its relative Markdown links point to, resolved against its directory
     */
    record Document(String key, Source source, Instant modified, List<Path> links) {

        /** Links whose target does not exist now. */
        long brokenLinks() {
            return links.stream().filter(l -> !Files.exists(l)).count();
        }
    }

    /** {@code [text](target)}: the target up to a space or the closing parenthesis. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)");

    /** The local files a Markdown text links to: no URLs with a scheme, no in-page anchors. */
    static List<Path> links(Path file, String text) {
        List<Path> out = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            String target = m.group(1);
            if (target.startsWith("#") || target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue;
            }
            int cut = target.indexOf('#');
            String path = cut >= 0 ? target.substring(0, cut) : target;
            if (!path.isEmpty()) {
                out.add(file.toAbsolutePath().getParent().resolve(path).normalize());
            }
        }
        return List.copyOf(out);
    }

    /**
     * What one refresh did.
     *
     * @param ingested   files read and indexed (new or changed)
     * @param unreadable files skipped because they are not UTF-8 text or could not be read (each
     *                   counted once, until it changes)
     * @param seconds    time spent ingesting them, from the monotonic timer
     */
    record Refresh(int ingested, int unreadable, double seconds) {
    }

    private final List<Source> sources;
    private final Set<String> extensions;
    private final Bm25Index index = new Bm25Index();
    private final Map<String, Document> documents = new LinkedHashMap<>();
    private final Set<String> passageIds = new HashSet<>();
    private final Map<String, Set<String>> passagesByFile = new HashMap<>();
    /** Files that could not be read, with the modification time seen: tried again only once changed. */
    private final Map<String, Instant> unreadableFiles = new HashMap<>();

    Library(List<Source> sources, Set<String> extensions) {
        this.sources = List.copyOf(sources);
        this.extensions = Set.copyOf(extensions);
    }

    Refresh refresh() throws IOException {
        Map<String, Path> seen = new LinkedHashMap<>();
        Map<String, Source> sourceOf = new HashMap<>();
        for (Source s : sources) {
            if (Files.isDirectory(s.path())) {
                try (Stream<Path> walk = Files.walk(s.path())) {
                    for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile).filter(this::wanted).sorted()::iterator) {
                        String key = s.path().relativize(f).toString().replace('\\', '/');
                        seen.put(key, f);
                        sourceOf.put(key, s);
                    }
                }
            } else if (Files.isRegularFile(s.path())) {
                String key = s.path().getFileName().toString();
                seen.put(key, s.path());
                sourceOf.put(key, s);
            }
        }
        long started = System.nanoTime();
        int ingested = 0;
        int unreadable = 0;
        for (Map.Entry<String, Path> e : seen.entrySet()) {
            Instant modified = Files.getLastModifiedTime(e.getValue()).toInstant();
            Document known = documents.get(e.getKey());
            if (known != null && known.modified().equals(modified) || modified.equals(unreadableFiles.get(e.getKey()))) {
                continue;
            }
            drop(e.getKey());
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(e.getValue()))).toString();
            } catch (CharacterCodingException | java.nio.file.AccessDeniedException ex) {
                unreadableFiles.put(e.getKey(), modified);
                unreadable++;
                continue;
            }
            unreadableFiles.remove(e.getKey());
            Set<String> ids = new HashSet<>();
            for (Passage p : Sections.split(e.getKey(), text)) {
                index.add(p);
                ids.add(p.id());
            }
            passageIds.addAll(ids);
            passagesByFile.put(e.getKey(), ids);
            documents.put(e.getKey(), new Document(e.getKey(), sourceOf.get(e.getKey()), modified,
                    e.getKey().endsWith(".md") ? links(e.getValue(), text) : List.of()));
            ingested++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        for (String key : List.copyOf(documents.keySet())) {
            if (!seen.containsKey(key)) {
                drop(key);
            }
        }
        unreadableFiles.keySet().retainAll(seen.keySet());
        return new Refresh(ingested, unreadable, seconds);
    }

    private void drop(String key) {
        if (documents.remove(key) != null) {
            index.removeFile(key);
            passageIds.removeAll(passagesByFile.remove(key));
        }
    }

    private boolean wanted(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && extensions.contains(name.substring(dot + 1));
    }

    /** Files seen at the last refresh that could not be read as UTF-8 text. */
    int unreadableFiles() {
        return unreadableFiles.size();
    }

    List<Document> documents() {
        return List.copyOf(documents.values());
    }

    List<Source> sources() {
        return sources;
    }

    Bm25Index index() {
        return index;
    }

    Set<String> passageIds() {
        return Set.copyOf(passageIds);
    }
}

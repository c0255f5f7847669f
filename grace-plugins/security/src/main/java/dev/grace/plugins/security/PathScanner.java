package dev.grace.plugins.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Scans files for secrets. Every regular file under the given paths is eligible; a file is scanned
 * when it could be read whole and is at most {@code maxFileBytes} long. Jars and zips (what a plugins
 * directory holds) are opened and each entry scanned. Content is read as ISO-8859-1 and split into
 * lines at line breaks and at control characters, so binary files such as class files yield their
 * embedded strings, as {@code strings(1)} would; in binary content only exact-format rules apply
 * (see {@link SecretDetector#detect(String, boolean)}).
 */
final class PathScanner {

    private final SecretDetector detector;
    private final long maxFileBytes;

    PathScanner(SecretDetector detector, long maxFileBytes) {
        this.detector = detector;
        this.maxFileBytes = maxFileBytes;
    }

    /** Scans every path that exists; a path that does not is skipped and counts no eligible file. */
    Scan scan(List<Path> paths) {
        long started = System.nanoTime();
        int eligible = 0;
        int scanned = 0;
        List<Finding> findings = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                // The tree could not be listed: its one root counts as eligible and not scanned.
                eligible++;
                continue;
            }
            for (Path file : files) {
                eligible++;
                if (scanFile(file, findings)) {
                    scanned++;
                }
            }
        }
        return new Scan(eligible, scanned, List.copyOf(findings), (System.nanoTime() - started) / 1e9);
    }

    private boolean scanFile(Path file, List<Finding> findings) {
        try {
            if (Files.size(file) > maxFileBytes) {
                return false;
            }
            byte[] content = Files.readAllBytes(file);
            String name = file.getFileName().toString();
            if (name.endsWith(".jar") || name.endsWith(".zip")) {
                List<Finding> inArchive = new ArrayList<>();
                try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(content))) {
                    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                        if (!e.isDirectory()) {
                            byte[] bytes = readBounded(zip);
                            scanText(file, e.getName(), bytes, isBinary(e.getName(), bytes), inArchive);
                        }
                    }
                }
                findings.addAll(inArchive);
            } else {
                scanText(file, "", content, isBinary(name, content), findings);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFileBytes + 1));
        if (bytes.length > maxFileBytes) {
            throw new IOException("an archive entry is larger than " + maxFileBytes + " bytes");
        }
        return bytes;
    }

    /** Class files, and anything with a NUL byte in its first 8 KiB, as {@code git} and {@code grep} decide. */
    private static boolean isBinary(String name, byte[] content) {
        if (name.endsWith(".class")) {
            return true;
        }
        for (int i = 0; i < Math.min(content.length, 8192); i++) {
            if (content[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private void scanText(Path file, String entry, byte[] content, boolean binary, List<Finding> findings) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        int lineNumber = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            boolean newline = c == '\n';
            if (newline || (c < 0x20 && c != '\t' && c != '\r')) {
                if (i > start) {
                    String line = text.substring(start, i);
                    int at = lineNumber;
                    detector.detect(line, binary).ifPresent(rule -> findings.add(new Finding(file, entry, at, rule)));
                }
                start = i + 1;
                if (newline) {
                    lineNumber++;
                }
            }
        }
    }

    /**
     * What one scan found.
     *
     * @param eligible files under the scanned paths
     * @param scanned  files read and inspected in full
     * @param findings the secrets found
     * @param seconds  how long the scan took, from the monotonic timer
     */
    record Scan(int eligible, int scanned, List<Finding> findings, double seconds) {

        /** Files scanned / files eligible; empty when nothing was eligible (there is nothing to cover). */
        java.util.OptionalDouble coverage() {
            return eligible == 0 ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of((double) scanned / eligible);
        }
    }
}

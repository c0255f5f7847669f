package dev.grace.plugins.security;

import java.nio.file.Path;

/**
 * A secret found by a scan: where, and which rule. The matched text is deliberately not kept, so a
 * finding can be logged without spreading the secret further.
 *
 * @param file  the file (for an archive, the archive)
 * @param entry the archive entry, or empty for a plain file
 * @param line  the 1-based line within the file or entry
 * @param rule  the {@link SecretDetector} rule that fired
 */
record Finding(Path file, String entry, int line, String rule) {

    @Override
    public String toString() {
        return file + (entry.isEmpty() ? "" : "!" + entry) + ":" + line + " " + rule;
    }
}

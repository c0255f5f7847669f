package dev.grace.plugins.knowledge;

/**
 * What the index retrieves: one section of a Markdown file (from a heading to the next heading), or a
 * whole text file.
 *
 * @param file    the file's name relative to its source, with {@code /} separators ({@code guide/setup.md});
 *                for a source that is a single file, its file name
 * @param heading the section's heading text without the {@code #} marks; empty for text before the
 *                first heading and for text files
 * @param text    the section's text, heading included
 */
record Passage(String file, String heading, String text) {

    /** {@code file#heading}, or {@code file} when there is no heading: how known answers name passages. */
    String id() {
        return heading.isEmpty() ? file : file + "#" + heading;
    }
}

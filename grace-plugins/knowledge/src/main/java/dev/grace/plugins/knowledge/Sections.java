package dev.grace.plugins.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits a file's text into passages: Markdown at its ATX headings (not inside code fences), text whole. */
final class Sections {

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private Sections() {
    }

    static List<Passage> split(String file, String text) {
        if (!file.endsWith(".md") && !file.endsWith(".markdown")) {
            return text.isBlank() ? List.of() : List.of(new Passage(file, "", text));
        }
        List<Passage> passages = new ArrayList<>();
        String heading = "";
        StringBuilder body = new StringBuilder();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            if (line.stripLeading().startsWith("```") || line.stripLeading().startsWith("~~~")) {
                inFence = !inFence;
            }
            Matcher m = inFence ? null : HEADING.matcher(line);
            if (m != null && m.matches()) {
                add(passages, file, heading, body);
                heading = m.group(1);
                body.setLength(0);
            }
            body.append(line).append('\n');
        }
        add(passages, file, heading, body);
        return List.copyOf(passages);
    }

    private static void add(List<Passage> passages, String file, String heading, StringBuilder body) {
        if (!body.toString().isBlank()) {
            passages.add(new Passage(file, heading, body.toString()));
        }
    }
}

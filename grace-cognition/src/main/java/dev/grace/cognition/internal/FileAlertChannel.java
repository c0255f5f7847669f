package dev.grace.cognition.internal;

import dev.grace.runtime.cognition.Alert;
import dev.grace.runtime.cognition.AlertChannel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Appends each alert as one JSON line to {@code <dataDir>/alerts.jsonl}, which {@code grace alerts} reads. */
public final class FileAlertChannel implements AlertChannel {

    private final Path file;

    public FileAlertChannel(Path file) {
        this.file = file;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public synchronized void send(Alert alert) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] line = (AlertJson.MAPPER.writeValueAsString(alert) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * The newest {@code limit} alerts of a file, newest first; lines that are not alerts are skipped
     * (a line cut short by a crash, for example).
     */
    public static List<Alert> read(Path file, int limit) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the alerts file " + file + ": " + e.getMessage(), e);
        }
        List<Alert> out = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && out.size() < limit; i--) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(AlertJson.MAPPER.readValue(line, Alert.class));
            } catch (IOException e) {
                // a torn last line after a crash: skip it, keep the rest
            }
        }
        return Collections.unmodifiableList(out);
    }
}

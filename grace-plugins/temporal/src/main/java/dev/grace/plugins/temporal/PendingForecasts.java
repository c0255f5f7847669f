package dev.grace.plugins.temporal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forecasts not yet scored, kept in a file ({@code pending.tsv}: domain, KPI, hour and time
 * made in epoch milliseconds, forecast) so that a restart does not lose them. The file is rewritten
 * whole, through a temporary file and an atomic move, after each change.
 */
final class PendingForecasts {

    private static final Logger LOG = LoggerFactory.getLogger("grace.plugin.temporal");

    private final Path file;
    private final Map<String, Forecast> byKey = new LinkedHashMap<>();

    /** Reads what an earlier run left in {@code file}; a line that cannot be read is skipped with a warning naming it. */
    PendingForecasts(Path file) {
        this.file = file;
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pending forecasts in " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 tab-separated fields, got " + f.length);
                }
                double predicted = Double.parseDouble(f[4]);
                if (!Double.isFinite(predicted)) {
                    throw new IllegalArgumentException("forecast is not finite: " + f[4]);
                }
                add(new Forecast(f[0], f[1], Instant.ofEpochMilli(Long.parseLong(f[2])), predicted,
                        Instant.ofEpochMilli(Long.parseLong(f[3]))));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}:{}: skipping a pending forecast that cannot be read ({})", file, i + 1, e.getMessage());
            }
        }
    }

    /** Adds a forecast unless one for the same KPI and hour is held; whether it was added. */
    boolean add(Forecast f) {
        return byKey.putIfAbsent(f.key(), f) == null;
    }

    boolean holds(String domain, String kpi, Instant hour) {
        return byKey.containsKey(domain + '\t' + kpi + '\t' + hour.toEpochMilli());
    }

    void remove(Forecast f) {
        byKey.remove(f.key());
    }

    /** Every pending forecast, oldest hour first. */
    List<Forecast> all() {
        List<Forecast> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing(Forecast::hour));
        return out;
    }

    /** How many are held for this hour. */
    int forHour(Instant hour) {
        return (int) byKey.values().stream().filter(f -> f.hour().equals(hour)).count();
    }

    /** Writes the file (or deletes it when nothing is pending). */
    void save() {
        try {
            if (byKey.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            StringBuilder sb = new StringBuilder();
            for (Forecast f : all()) {
                sb.append(f.domain()).append('\t').append(f.kpi()).append('\t').append(f.hour().toEpochMilli())
                        .append('\t').append(f.madeAt().toEpochMilli()).append('\t').append(f.predicted()).append('\n');
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pending forecasts to " + file, e);
        }
    }
}

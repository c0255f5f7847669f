package dev.grace.cli;

import dev.grace.cognition.StoreCognition;
import dev.grace.runtime.cognition.Cognition;
import dev.grace.runtime.cognition.Readiness;
import dev.grace.runtime.cognition.Status;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.store.GraceStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code grace run} prints after its summary: the overall scores of each hour the run covered
 * (the last {@link #MAX_HOURS} of a longer run), the full status of its last hour, and the readiness,
 * in the tables of {@code grace status} and {@code grace readiness}.
 *
 * @param hours   the statuses of the run's hours, oldest first
 * @param omitted earlier hours of the run left out
 */
record RunCognition(List<Status> hours, int omitted, Readiness readiness) {

    /** Hours printed at most; {@code grace benchmark history} has the rest. */
    static final int MAX_HOURS = 24;

    RunCognition {
        hours = List.copyOf(hours);
    }

    /**
     * Reads the run's hours from the store, once the runtime has closed and written everything: the
     * runtime's own cognition closes with its store.
     */
    static RunCognition read(GraceConfig config, Instant started, Instant stopped) {
        Instant first = started.truncatedTo(ChronoUnit.HOURS);
        Instant last = stopped.truncatedTo(ChronoUnit.HOURS);
        int all = (int) Duration.between(first, last).toHours() + 1;
        int omitted = Math.max(0, all - MAX_HOURS);
        try (GraceStore store = GraceStore.open(config)) {
            Cognition cognition = StoreCognition.over(store);
            List<Status> hours = new ArrayList<>();
            for (int i = omitted; i < all; i++) {
                hours.add(cognition.status(first.plus(Duration.ofHours(i))));
            }
            return new RunCognition(hours, omitted, cognition.readiness());
        }
    }

    void print(PrintWriter out) {
        if (hours.size() > 1) {
            out.println();
            out.println("Overall scores per hour of the run" + (omitted == 0 ? ":"
                    : " (the last " + hours.size() + "; " + omitted + " earlier: grace benchmark history):"));
            Table table = new Table("HOUR (UTC)", "HEALTH", "TRUST", "CONFIDENCE").rightAligned(1, 2, 3);
            for (Status s : hours) {
                table.row(s.hour().toString(), CognitionTables.score(s.overall().health()),
                        CognitionTables.score(s.overall().trust()), CognitionTables.score(s.overall().confidence()));
            }
            table.lines().forEach(line -> out.println("  " + line));
        }
        out.println();
        CognitionTables.status(hours.get(hours.size() - 1), out);
        out.println();
        CognitionTables.readiness(readiness, out);
        out.flush();
    }
}

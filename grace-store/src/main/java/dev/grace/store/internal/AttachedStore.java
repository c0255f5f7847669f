package dev.grace.store.internal;

import dev.grace.api.MaintenanceResult;
import dev.grace.runtime.extension.CommitLatency;
import dev.grace.runtime.extension.StoreService;
import dev.grace.runtime.store.RollupQuery;
import dev.grace.store.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The store as a running runtime offers it ({@link StoreService}): its reader, its health, and the
 * maintenance a plugin may ask for through {@code RuntimeActions}, each audited with the caller and
 * never throwing.
 */
public final class AttachedStore implements StoreService {

    private static final long HOUR_MILLIS = 3_600_000L;
    /** Backups written through {@code RuntimeActions.backup()} that are kept; older ones are removed. */
    private static final int KEPT_BACKUPS = 24;
    private static final DateTimeFormatter BACKUP_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final StoreWriter writer;
    private final Clock clock;
    private final Path dataDir;
    /** Waits until every raw event accepted so far reached the store; null when raw events are not stored. */
    private final RawEventsDelivered rawDelivered;

    /** Waits for raw events accepted so far to reach the store. */
    @FunctionalInterface
    public interface RawEventsDelivered {
        boolean await(Duration timeout);
    }

    public AttachedStore(StoreWriter writer, Clock clock, Path dataDir, RawEventsDelivered rawDelivered) {
        this.writer = writer;
        this.clock = clock;
        this.dataDir = dataDir;
        this.rawDelivered = rawDelivered;
    }

    @Override
    public RollupQuery reader() {
        return writer.reader();
    }

    @Override
    public String location() {
        return writer.database().url() + " (node " + writer.node() + ")";
    }

    @Override
    public boolean reachable() {
        return writer.database().reachable();
    }

    @Override
    public boolean lastKnownUp() {
        return writer.database().lastAnswered() && writer.stuckSince().isEmpty();
    }

    @Override
    public boolean flushNow(Duration timeout) {
        return writer.flushNow(timeout);
    }

    @Override
    public long flushes() {
        return writer.flushes();
    }

    @Override
    public CommitLatency commitLatency() {
        return rawDelivered == null ? null : writer.persistLatency();
    }

    @Override
    public Optional<Instant> stuckSince() {
        return writer.stuckSince();
    }

    @Override
    public long rawEventsRefused() {
        return writer.rawEventsRefused();
    }

    @Override
    public Map<String, Long> rawEventsRefusedByPublisher() {
        return writer.rawEventsRefusedByPlugin();
    }

    @Override
    public long rollupValuesLost() {
        return writer.rollupValuesLost();
    }

    @Override
    public long journalBytes() {
        return writer.journalBytes();
    }

    @Override
    public void audit(String kind, String detail) {
        writer.audit(kind, detail);
    }

    @Override
    public MaintenanceResult purgeRetention(String caller) {
        MaintenanceResult result;
        try {
            result = MaintenanceResult.done(writer.purgeRetention(clock.millis()).detail());
        } catch (RuntimeException e) {
            result = MaintenanceResult.failed("retention purge failed: " + Database.rootMessage(e));
        }
        return audited("maintenance-purge", caller, result);
    }

    @Override
    public MaintenanceResult verifyHour(String caller, Instant hourStart) {
        MaintenanceResult result;
        try {
            result = verify(hourStart);
        } catch (RuntimeException e) {
            result = MaintenanceResult.failed("verify of hour " + hourStart + " failed: " + Database.rootMessage(e));
        }
        return audited("maintenance-verify", caller, result);
    }

    private MaintenanceResult verify(Instant hourStart) {
        long start = hourStart == null ? -1 : hourStart.toEpochMilli();
        if (hourStart == null || Math.floorMod(start, HOUR_MILLIS) != 0) {
            return MaintenanceResult.failed("verifyHour needs the start of an hour (minutes, seconds and millis zero), got "
                    + hourStart);
        }
        if (rawDelivered == null) {
            return MaintenanceResult.notApplicable("raw events are off (publisher.rawEvents=false): there is nothing to"
                    + " recompute hour " + hourStart + " from");
        }
        long now = clock.millis();
        if (start + HOUR_MILLIS > now) {
            return MaintenanceResult.failed("hour " + hourStart + " has not closed yet (now " + Instant.ofEpochMilli(now) + ")");
        }
        if (start < now - writer.config().rawRetention().toMillis()) {
            return MaintenanceResult.notApplicable("the raw events of hour " + hourStart + " are past store.rawRetention="
                    + writer.config().rawRetention() + ", so the hour can no longer be recomputed");
        }
        // The hour's last raw events and its final rollup state may still be on their way to the store.
        Duration patience = Duration.ofSeconds(10);
        if (!rawDelivered.await(patience) || !writer.flushNow(patience)) {
            return MaintenanceResult.failed("the raw events and rollups of hour " + hourStart
                    + " did not reach the store within " + patience + "; not verified");
        }
        VerifyReport report = writer.reader().verify(start, start + HOUR_MILLIS);
        int differed = report.differences().size();
        String counts = "hour " + hourStart + ": " + (report.hoursCompared() - differed) + " KPIs matched their raw events, "
                + differed + " differed";
        return differed == 0 ? MaintenanceResult.done(counts)
                : MaintenanceResult.failed(counts + "; first: " + report.differences().get(0));
    }

    @Override
    public MaintenanceResult backup(String caller) {
        if (writer.database().vendor() != Vendor.H2) {
            return MaintenanceResult.notApplicable("PostgreSQL is backed up with its own tools (pg_dump)");
        }
        MaintenanceResult result;
        try {
            String name = "grace-" + BACKUP_NAME.format(Instant.ofEpochMilli(clock.millis())) + ".zip";
            Path dir = dataDir.resolve("backups");
            Path file = writer.reader().backup(dir.resolve(name));
            int removed = keepNewestBackups(dir, KEPT_BACKUPS);
            result = MaintenanceResult.done("backup written to " + file + " (" + Files.size(file) + " bytes)"
                    + (removed == 0 ? "" : "; " + removed + " older backups removed, the newest " + KEPT_BACKUPS + " kept"));
        } catch (RuntimeException | IOException e) {
            result = MaintenanceResult.failed("backup failed: " + Database.rootMessage(e));
        }
        return audited("maintenance-backup", caller, result);
    }

    /** Deletes all but the newest {@code keep} {@code grace-*.zip} files (their names sort by time); returns how many went. */
    private static int keepNewestBackups(Path dir, int keep) throws IOException {
        List<Path> zips;
        try (Stream<Path> files = Files.list(dir)) {
            zips = files.filter(f -> f.getFileName().toString().matches("grace-\\d{8}-\\d{6}\\.zip"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
        }
        int removed = 0;
        for (int i = keep; i < zips.size(); i++) {
            if (Files.deleteIfExists(zips.get(i))) {
                removed++;
            }
        }
        return removed;
    }

    private MaintenanceResult audited(String kind, String caller, MaintenanceResult result) {
        writer.audit(kind, (result.done() ? "" : result.applicable() ? "failed: " : "not applicable: ") + result.detail()
                + " (at the request of " + caller + ")");
        return result;
    }
}

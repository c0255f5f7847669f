package dev.grace.cli;

import dev.grace.store.GraceStore;
import dev.grace.store.JournalBacklog;
import dev.grace.store.VerifyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace verify}: recompute hourly rollups from raw events and compare with the stored ones. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Recomputes every hourly rollup still covered by raw events (within store.rawRetention) and"
                + " compares it with the stored one, per node. Exit code 1, listing the differences, if any differ."
                + " Hours still being written by a running runtime may differ by up to one flush interval."})
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        VerifyReport report;
        JournalBacklog backlog;
        try (GraceStore store = GraceStore.open(options.load(grace.env()))) {
            report = store.verify();
            backlog = store.journalBacklog();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (backlog.any()) {
            out.println("verify: note: " + backlog.describe());
        }
        report.notRebuilt().forEach(n -> out.println("verify: past raw-event retention, " + n));
        if (report.ok()) {
            out.println("verify: " + report.hoursCompared() + " hourly rollups match their raw events");
            return 0;
        }
        out.println("verify: " + report.differences().size() + " of " + report.hoursCompared()
                + " hourly rollups differ from their raw events:");
        report.differences().forEach(d -> out.println("  " + d));
        return GraceCommand.PROBLEMS;
    }
}

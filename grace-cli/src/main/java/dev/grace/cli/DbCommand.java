package dev.grace.cli;

import dev.grace.store.DbInfo;
import dev.grace.store.GraceStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace db info} and {@code grace db migrate}. */
@Command(name = "db", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = "The store's database: where it is and its schema version (info), or bring the schema up to"
                + " this build's (migrate).",
        subcommands = {DbCommand.Info.class, DbCommand.Migrate.class})
final class DbCommand implements Runnable {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command: info or migrate");
    }

    @Command(name = "info", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
            description = "Prints the database, this configuration's node id, the schema version and every migration.")
    static final class Info implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            DbInfo info;
            try (GraceStore store = GraceStore.open(options.load(db.grace.env()))) {
                info = store.info();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("database: " + info.vendor() + " " + info.url());
            out.println("node:     " + info.node());
            out.println("schema:   " + info.schemaVersion() + (info.pending() > 0
                    ? " (" + info.pending() + " migrations pending: run 'grace db migrate')" : " (current)"));
            info.migrations().forEach(m -> out.println("  " + m));
            return 0;
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
            description = "Applies pending migrations (a runtime also does this when it starts); refuses a newer schema.")
    static final class Migrate implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            List<String> applied;
            try (GraceStore store = GraceStore.open(options.load(db.grace.env()))) {
                applied = store.migrate();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(applied.isEmpty() ? "schema already current" : "applied " + String.join(", ", applied));
            return 0;
        }
    }
}

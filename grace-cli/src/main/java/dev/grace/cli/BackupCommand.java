package dev.grace.cli;

import dev.grace.store.GraceStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace backup FILE}: a consistent online backup of the embedded H2 database. */
@Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Writes a consistent online backup of the embedded H2 database into a new zip file, while"
                + " runtimes keep writing. On PostgreSQL, use pg_dump."})
final class BackupCommand implements Callable<Integer> {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "FILE", description = "The zip file to write; must not exist.")
    Path file;

    @Override
    public Integer call() {
        try (GraceStore store = GraceStore.open(options.load(grace.env()))) {
            Path written = store.backup(file);
            spec.commandLine().getOut().println("backup written to " + written);
        }
        return 0;
    }
}

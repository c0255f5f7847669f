package dev.grace.cli;

import dev.grace.store.AuditVerdict;
import dev.grace.store.GraceStore;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace audit verify}: check the audit log's hash chain. */
@Command(name = "audit", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = "The audit log of runtime lifecycle facts.", subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
            description = "Walks the hash chain from the first row; exit code 1 naming the first broken row.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() {
            AuditVerdict verdict;
            try (GraceStore store = GraceStore.open(options.load(audit.grace.env()))) {
                verdict = store.verifyAudit();
            }
            if (verdict.ok()) {
                spec.commandLine().getOut().println("audit log intact: " + verdict.rowsChecked() + " rows");
                return 0;
            }
            spec.commandLine().getOut().println("audit log broken: " + verdict.firstBroken().orElseThrow());
            return GraceCommand.PROBLEMS;
        }
    }
}

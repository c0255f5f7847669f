package dev.grace.cli;

import dev.grace.api.GraceApi;
import dev.grace.runtime.config.ConfigException;
import dev.grace.store.StoreException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code grace} command: {@code grace plugins} lists what would run, {@code grace run} runs it.
 *
 * <p>Exit codes, each distinct so a script can tell them apart (README, "Exit codes"): {@value #DONE} the
 * command did its job (plugins that fail are reported, not errors of the command); {@value #PROBLEMS} a
 * check ({@code plugins verify}, {@code verify}, {@code audit verify}) found problems; {@value #USAGE} a bad
 * flag, duration or configuration; {@value #UNREACHABLE} a dependency could not be reached (the store's
 * database, the admin URL); {@value #SOFTWARE} anything unexpected. Every error is one line on stderr,
 * never a stack trace.
 */
@Command(name = "grace", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = "Runs Grace domain plugins and reports what they published.",
        subcommands = {PluginsCommand.class, RunCommand.class, CognitionCommand.class,
                RollupsCommand.class, VerifyCommand.class, BackupCommand.class, DbCommand.class, AuditCommand.class,
                StatusCommand.class, ReadinessCommand.class, BenchmarkCommand.class, AlertsCommand.class,
                ReportCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Configuration: a YAML or JSON file (--config, or $GRACE_CONFIG), GRACE_* environment"
                + " variables, then flags, each overriding the one before. See docs/configuration.md."})
public final class GraceCommand implements Runnable {

    /** Exit code: the command did its job. */
    static final int DONE = 0;
    /** Exit code: a check found problems, each reported. */
    static final int PROBLEMS = 1;
    /** Exit code for a usage or configuration error. */
    static final int USAGE = 2;
    /** Exit code: a dependency (the store's database, the admin API's URL) could not be reached. */
    static final int UNREACHABLE = 3;
    /** Exit code for an unexpected failure. */
    static final int SOFTWARE = 4;

    private static final Logger LOG = LoggerFactory.getLogger(GraceCommand.class);

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    /** @param env the environment {@code GRACE_*} variables are read from; tests pass their own */
    GraceCommand(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** Runs {@code grace} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * The command line with Grace's error handling: one line on stderr and exit code 2 for a bad flag
     * or bad configuration.
     */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new GraceCommand(env));
        commandLine.setParameterExceptionHandler(GraceCommand::badUsage);
        commandLine.setExecutionExceptionHandler(GraceCommand::failed);
        // picocli hides its completion command by default; Grace lists it with the others.
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return commandLine;
    }

    /** The environment the command was started with. */
    Map<String, String> env() {
        return env;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command: plugins or run");
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String message = e.getMessage();
        if (e.getCause() instanceof CommandLine.TypeConversionException conversion
                && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            // picocli's "Invalid value for option '--for' ..." hides our message's own wording.
            message = option.longestName() + ": " + conversion.getMessage();
        }
        cl.getErr().println("grace: " + oneLine(message) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreException store) {
                err.println("grace: " + oneLine(store.getMessage()));
                return store.unreachable() ? UNREACHABLE : USAGE;
            }
            if (t instanceof ConfigException) {
                err.println("grace: " + oneLine(t.getMessage()));
                return USAGE;
            }
        }
        if (e instanceof IllegalArgumentException) {
            err.println("grace: " + oneLine(e.getMessage()));
            return USAGE;
        }
        LOG.error("grace {} failed", cl.getCommandName(), e);
        err.println("grace: " + cl.getCommandName() + " failed: " + oneLine(String.valueOf(e)));
        return SOFTWARE;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@code grace 0.1.0}: the version of the grace-api this command runs. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"grace " + GraceApi.version()};
        }
    }
}

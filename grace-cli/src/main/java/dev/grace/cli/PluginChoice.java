package dev.grace.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags that choose which plugins {@code grace run} and {@code grace plugins} take, so a team can run
 * its plugin alone: {@code --plugins ID,…} (key {@code plugins.enabled}) and {@code --no-builtin}.
 */
final class PluginChoice {

    @Option(names = "--plugins", paramLabel = "ID", split = ",",
            description = "Start only these plugins, by id (key plugins.enabled); the others are listed as DISABLED."
                    + " Repeatable or comma-separated.")
    List<String> ids;

    @Option(names = "--no-builtin",
            description = "Leave out the plugins built into grace (the classpath): only those of the plugins directories.")
    boolean noBuiltin;

    /** The value {@code --plugins} sets {@code plugins.enabled} to; null when not given. */
    String enabled() {
        return ids == null ? null : String.join(",", ids);
    }

    /** Whether the classpath's plugins are discovered. */
    boolean builtin() {
        return !noBuiltin;
    }
}

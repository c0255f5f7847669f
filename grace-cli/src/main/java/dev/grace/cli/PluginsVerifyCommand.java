package dev.grace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.runtime.PluginVerification;
import dev.grace.runtime.config.GraceConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace plugins verify PATH}: the checks the runtime makes before loading a plugin, without running it. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = "Checks a plugin jar or folder of jars as the runtime would before loading it: its manifest,"
                + " its grace-api range against this runtime, vetting against the deny-list (vetting.deny), and"
                + " its provider registration. Runs none of its code. Exit 0 when it would load, 1 with the reasons"
                + " when it would be refused, 2 for bad usage.")
final class PluginsVerifyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    PluginsCommand plugins;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Parameters(arity = "1", paramLabel = "PATH", description = "A plugin jar, or a folder holding a plugin's jars.")
    Path path;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        GraceConfig config = options.load(plugins.grace.env());
        PluginVerification v = PluginVerification.of(path, config);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(new View(v.path().toString(), v.refused() ? "refused" : "ok",
                    v.pluginId(), v.apiRange(), v.requires(), v.providers(), v.refusals(), v.warnings())));
        } else {
            String name = v.pluginId() != null ? "plugin " + v.pluginId() + " (" + v.path() + ")" : v.path().toString();
            out.println(name + (v.refused() ? ": would be refused" : ": ok"));
            v.refusals().forEach(r -> out.println("    refused: " + r));
            v.warnings().forEach(w -> out.println("    warning: " + w));
            if (!v.refused()) {
                out.println("    providers: " + String.join(", ", v.providers()));
                if (v.pluginId() == null) {
                    out.println("    note: no Grace-Plugin-Id in the manifest, so the grace-api range and requires"
                            + " are checked only after construction");
                }
            }
        }
        out.flush();
        return v.refused() ? GraceCommand.PROBLEMS : GraceCommand.DONE;
    }

    /** The JSON document. */
    record View(String path, String verdict, String pluginId, String apiRange, Map<String, String> requires,
                List<String> providers, List<String> refusals, List<String> warnings) {
    }
}

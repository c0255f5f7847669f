package dev.grace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.grace.api.Kpi;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.runtime.PluginStatus;
import dev.grace.runtime.config.GraceConfig;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace plugins}: what {@code grace run} would start, without starting anything. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        subcommands = PluginsVerifyCommand.class,
        description = "Discovers plugins (classpath and plugin directories) without starting them, and lists each"
                + " with its state, where it came from, why it was refused, and the KPIs it declares.")
final class PluginsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options;

    @Mixin
    PluginChoice choice;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        GraceConfig config = options.load(grace.env(), choice);
        List<PluginStatus> plugins;
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).discoverClasspath(choice.builtin()).build()) {
            plugins = runtime.discover().plugins();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JSON.writeValueAsString(new Listing(plugins.stream().map(PluginView::of).toList())));
        } else {
            printTable(plugins, out);
        }
        out.flush();
        return 0;
    }

    private static void printTable(List<PluginStatus> plugins, PrintWriter out) {
        if (plugins.isEmpty()) {
            out.println("No plugins found.");
            return;
        }
        Table table = new Table("PLUGIN", "DOMAIN", "VERSION", "STATE", "SOURCE");
        for (PluginStatus p : plugins) {
            table.row(p.id(), p.domain(), p.version(), p.state().name(), p.source());
        }
        List<String> rows = table.lines();
        out.println(rows.get(0));
        for (int i = 0; i < plugins.size(); i++) {
            PluginStatus p = plugins.get(i);
            out.println(rows.get(i + 1));
            if (p.cause() != null) {
                out.println("    cause: " + p.cause());
            }
            p.warnings().forEach(w -> out.println("    warning: " + w));
            Table kpis = new Table("KPI", "UNIT", "DIRECTION");
            p.kpis().forEach(k -> kpis.row(k.name(), k.unit().name().toLowerCase(Locale.ROOT), direction(k)));
            if (!p.kpis().isEmpty()) {
                kpis.lines().stream().skip(1).forEach(line -> out.println("    " + line));
            }
        }
        Map<PluginState, Long> byState = plugins.stream()
                .collect(Collectors.groupingBy(PluginStatus::state, TreeMap::new, Collectors.counting()));
        out.println();
        out.println(plugins.size() + (plugins.size() == 1 ? " plugin: " : " plugins: ") + byState.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
    }

    static String direction(Kpi kpi) {
        return kpi.direction() == Kpi.Direction.LOWER_IS_BETTER ? "lower is better" : "higher is better";
    }

    /** The JSON document: {@code {"plugins": [...]}}, an object so that fields can be added later. */
    record Listing(List<PluginView> plugins) {
    }

    /** One plugin in {@code --json}; cause is null unless FAILED (or refused), RESTARTING or QUARANTINED. */
    record PluginView(String id, String domain, String version, PluginState state, String cause, String source,
                      List<KpiView> kpis, List<String> warnings, int restarts) {

        static PluginView of(PluginStatus p) {
            return new PluginView(p.id(), p.domain(), p.version(), p.state(), p.cause(), p.source(),
                    p.kpis().stream().map(k -> new KpiView(k.name(), k.unit(), k.direction())).toList(),
                    p.warnings(), p.restarts());
        }
    }

    /** One declared KPI in {@code --json}. */
    record KpiView(String name, Kpi.Unit unit, Kpi.Direction direction) {
    }
}

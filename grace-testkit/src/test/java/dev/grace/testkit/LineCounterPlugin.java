package dev.grace.testkit;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A plugin as a team would write one: counts the lines of a configured file when it starts. */
public final class LineCounterPlugin implements DomainPlugin {

    static final Kpi LINES = Kpi.builder("lines", Kpi.Unit.COUNT).description("Lines in the input file").build();
    static final Kpi EMPTY_SHARE = Kpi.builder("empty_share", Kpi.Unit.RATIO).lowerIsBetter().healthBearing()
            .description("Share of the input's lines that are blank").build();

    @Override
    public PluginInfo info() {
        return PluginInfo.builder("line-counter").domain("knowledge").version("1.0.0").build();
    }

    @Override
    public List<Kpi> kpis() {
        return List.of(LINES, EMPTY_SHARE);
    }

    @Override
    public void start(PluginContext context) throws Exception {
        Path input = context.config().path("input", null);
        if (input == null) {
            throw new IllegalStateException("config key 'input' is required");
        }
        List<String> lines = Files.readAllLines(input);
        long blank = lines.stream().filter(String::isBlank).count();
        context.publisher().record(LINES, lines.size());
        context.publisher().record(EMPTY_SHARE, lines.isEmpty() ? 0 : (double) blank / lines.size());
        context.publisher().publish("lines", -1); // a bug the test should catch
    }
}

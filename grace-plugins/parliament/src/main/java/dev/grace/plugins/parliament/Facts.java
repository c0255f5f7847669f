package dev.grace.plugins.parliament;

import dev.grace.api.RuntimeView;
import dev.grace.api.RuntimeView.BenchmarkView;
import dev.grace.api.RuntimeView.PluginView;

import java.util.LinkedHashMap;
import java.util.Map;

/** One snapshot of the runtime that every voter judges by, so all votes of a review see the same state. */
record Facts(Map<String, PluginView> plugins, Map<String, BenchmarkView> benchmarks) {

    Facts {
        plugins = Map.copyOf(plugins);
        benchmarks = Map.copyOf(benchmarks);
    }

    static Facts of(RuntimeView view) {
        Map<String, PluginView> plugins = new LinkedHashMap<>();
        for (PluginView p : view.plugins()) {
            plugins.put(p.id(), p);
        }
        Map<String, BenchmarkView> benchmarks = new LinkedHashMap<>();
        for (BenchmarkView b : view.benchmarks()) {
            benchmarks.put(b.name(), b);
        }
        return new Facts(plugins, benchmarks);
    }
}

package dev.grace.plugins.transcendence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A named DAG of {@link Task}s. Construction checks it: ids unique, every dependency a task of the
 * plan, no cycles; {@link #order()} is a topological order that keeps declaration order among tasks
 * that are free to run, so a plan runs the same way every time.
 *
 * @param name  what the plan is called in logs and reports
 * @param tasks the tasks, in declaration order
 */
public record Plan(String name, List<Task> tasks) {

    public Plan {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("plan " + name + " has no tasks");
        }
        Map<String, Task> byId = new LinkedHashMap<>();
        for (Task t : tasks) {
            if (byId.put(t.id(), t) != null) {
                throw new IllegalArgumentException("plan " + name + " declares task " + t.id() + " twice");
            }
        }
        for (Task t : tasks) {
            for (String d : t.dependsOn()) {
                if (!byId.containsKey(d)) {
                    throw new IllegalArgumentException("plan " + name + ": task " + t.id() + " depends on " + d
                            + ", which is not a task of the plan " + byId.keySet());
                }
            }
        }
        topological(name, tasks);
    }

    /** The tasks, each after all it depends on. */
    public List<Task> order() {
        return topological(name, tasks);
    }

    private static List<Task> topological(String name, List<Task> tasks) {
        List<Task> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        List<Task> left = new ArrayList<>(tasks);
        while (!left.isEmpty()) {
            Task next = left.stream().filter(t -> done.containsAll(t.dependsOn())).findFirst().orElse(null);
            if (next == null) {
                throw new IllegalArgumentException("plan " + name + " has a dependency cycle: " + cycle(left));
            }
            order.add(next);
            done.add(next.id());
            left.remove(next);
        }
        return List.copyOf(order);
    }

    /** One cycle among tasks none of which can run, as {@code a -> b -> a}. */
    private static String cycle(List<Task> stuck) {
        Map<String, Task> byId = new HashMap<>();
        stuck.forEach(t -> byId.put(t.id(), t));
        List<String> path = new ArrayList<>();
        String at = stuck.get(0).id();
        while (!path.contains(at)) {
            path.add(at);
            at = byId.get(at).dependsOn().stream().filter(byId::containsKey).findFirst().orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        loop.add(at);
        return String.join(" -> ", loop);
    }
}

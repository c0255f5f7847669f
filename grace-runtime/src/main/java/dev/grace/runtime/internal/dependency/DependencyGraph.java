package dev.grace.runtime.internal.dependency;

import dev.grace.runtime.internal.discovery.VersionRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves plugin dependencies before anything starts: which plugins can start, in what order
 * (dependencies first, otherwise discovery order), and why each of the others cannot. A missing,
 * out-of-range, cyclic or failed dependency fails only the plugins that depend on it, directly or
 * through others, each with the reason cascaded ("requires b, which failed: requires c, which is
 * not present").
 */
public final class DependencyGraph {

    /**
     * One plugin that was accepted so far.
     *
     * @param requires plugin id to version range, "" for any version
     */
    public record Node(String id, String version, Map<String, String> requires) {
    }

    /**
     * @param order   the plugins that can start, dependencies before their dependants
     * @param refused plugin id to why it cannot start
     */
    public record Resolution(List<String> order, Map<String, String> refused) {
    }

    private DependencyGraph() {
    }

    /**
     * @param nodes  accepted plugins, in discovery order
     * @param failed plugins that failed or were refused earlier, by id, with their cause
     */
    public static Resolution resolve(List<Node> nodes, Map<String, String> failed) {
        Map<String, Node> byId = new LinkedHashMap<>();
        nodes.forEach(n -> byId.put(n.id(), n));
        Map<String, String> refused = new LinkedHashMap<>();

        // 1. What each plugin's own declarations get wrong.
        for (Node n : nodes) {
            for (Map.Entry<String, String> req : n.requires().entrySet()) {
                String problem = directProblem(req.getKey(), req.getValue(), byId, failed);
                if (problem != null) {
                    refused.putIfAbsent(n.id(), problem);
                    break;
                }
            }
        }
        // 2. Cycles: every member fails, naming the whole cycle.
        for (List<String> cycle : cycles(nodes, byId)) {
            String text = String.join(" -> ", cycle);
            for (String member : cycle.subList(0, cycle.size() - 1)) {
                refused.putIfAbsent(member, "dependency cycle: " + text);
            }
        }
        // 3. Cascade to dependants until nothing changes.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node n : nodes) {
                if (refused.containsKey(n.id())) {
                    continue;
                }
                for (String dep : n.requires().keySet()) {
                    String cause = refused.get(dep);
                    if (cause != null) {
                        refused.put(n.id(), "requires " + dep + ", which failed: " + cause);
                        changed = true;
                        break;
                    }
                }
            }
        }
        // 4. Dependencies first, otherwise discovery order.
        List<String> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (Node n : nodes) {
            place(n, byId, refused, placed, order);
        }
        return new Resolution(List.copyOf(order), Map.copyOf(refused));
    }

    private static String directProblem(String dep, String range, Map<String, Node> byId, Map<String, String> failed) {
        Node target = byId.get(dep);
        if (target == null) {
            String cause = failed.get(dep);
            return cause != null ? "requires " + dep + ", which failed: " + cause
                    : "requires plugin " + dep + ", which is not present";
        }
        if (range.isEmpty()) {
            return null;
        }
        try {
            if (!VersionRange.parse(range).contains(target.version())) {
                return "requires " + dep + " " + range + " but " + dep + " is version " + target.version();
            }
        } catch (IllegalArgumentException e) {
            return "declares an invalid range for " + dep + ": " + e.getMessage();
        }
        return null;
    }

    /** Each cycle once, as a path that ends where it starts: [a, b, a]. */
    private static List<List<String>> cycles(List<Node> nodes, Map<String, Node> byId) {
        List<List<String>> found = new ArrayList<>();
        Map<String, Integer> color = new HashMap<>();   // absent: new, 1: on the stack, 2: done
        for (Node n : nodes) {
            visit(n.id(), byId, color, new ArrayList<>(), found);
        }
        return found;
    }

    private static void visit(String id, Map<String, Node> byId, Map<String, Integer> color, List<String> stack,
                              List<List<String>> found) {
        Node n = byId.get(id);
        if (n == null || color.getOrDefault(id, 0) == 2) {
            return;
        }
        if (color.getOrDefault(id, 0) == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(id), stack.size()));
            cycle.add(id);
            found.add(cycle);
            return;
        }
        color.put(id, 1);
        stack.add(id);
        for (String dep : n.requires().keySet()) {
            visit(dep, byId, color, stack, found);
        }
        stack.remove(stack.size() - 1);
        color.put(id, 2);
    }

    private static void place(Node n, Map<String, Node> byId, Map<String, String> refused, Set<String> placed,
                              List<String> order) {
        if (refused.containsKey(n.id()) || !placed.add(n.id())) {
            return;
        }
        for (String dep : n.requires().keySet()) {
            place(byId.get(dep), byId, refused, placed, order);
        }
        order.add(n.id());
    }
}

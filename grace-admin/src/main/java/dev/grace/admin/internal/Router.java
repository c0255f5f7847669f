package dev.grace.admin.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's routing table: a method and a path pattern such as
 * {@code /api/cognition/domain/{domain}/update} to a handler. {@code HEAD} is served by the
 * {@code GET} route. An unknown path is a 404, a known path with another method a 405 with
 * {@code Allow}.
 */
final class Router {

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        Reply handle(AdminRequest request) throws IOException;
    }

    /** A route found for a request, with the segments its pattern named. */
    record Match(Route route, Map<String, String> pathParameters) {
        boolean inline() {
            return route.inline();
        }

        boolean post() {
            return route.method().equals("POST");
        }

        Handler handler() {
            return route.handler();
        }
    }

    /**
     * @param inline whether the handler reads only memory and never blocks, so that it may run on
     *               the thread that parsed the request instead of waiting for a worker
     */
    record Route(String method, List<String> pattern, Handler handler, boolean inline) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router get(String pattern, Handler handler) {
        return add("GET", pattern, handler, false);
    }

    /** A GET whose handler reads only memory: health probes must answer while every worker waits on the store. */
    Router getInline(String pattern, Handler handler) {
        return add("GET", pattern, handler, true);
    }

    Router post(String pattern, Handler handler) {
        return add("POST", pattern, handler, false);
    }

    /** Every route, in the order added. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    private Router add(String method, String pattern, Handler handler, boolean inline) {
        List<String> parts = pattern.equals("/") ? List.of() : List.of(pattern.substring(1).split("/"));
        routes.add(new Route(method, parts, handler, inline));
        return this;
    }

    /**
     * The route for a method and decoded path segments.
     *
     * @throws HttpError 404 for an unknown path, 405 (with {@code Allow}) for a method the path does not take
     */
    Match match(String method, List<String> segments, String rawPath) {
        String wanted = method.equals("HEAD") ? "GET" : method;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> parameters = parameters(r.pattern(), segments);
            if (parameters == null) {
                continue;
            }
            if (r.method().equals(wanted)) {
                return new Match(r, parameters);
            }
            allowed.add(r.method());
        }
        if (allowed.isEmpty()) {
            throw HttpError.notFound("no such endpoint: " + rawPath + " (see docs/http-api.md)");
        }
        String allow = String.join(", ", allowed);
        throw new HttpError(405, null, method + " is not allowed on " + rawPath + "; use " + allow)
                .withHeader("Allow", allow);
    }

    /** The named segments when the pattern matches, else null. */
    private static Map<String, String> parameters(List<String> pattern, List<String> segments) {
        if (pattern.size() != segments.size()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                out.put(p.substring(1, p.length() - 1), segments.get(i));
            } else if (!p.equals(segments.get(i))) {
                return null;
            }
        }
        return out;
    }
}

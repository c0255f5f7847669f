package dev.grace.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every route the admin server answers is in the OpenAPI document and every operation of the document
 * is a route, so a new endpoint cannot ship undocumented ({@code OpenApiConformanceTest} then checks
 * the answers). The dashboard's own files are not API and are left out.
 */
class RoutesDocumentedTest {

    private static final Set<String> DASHBOARD = Set.of("GET /", "GET /index.html", "GET /assets/{file}");

    @Test
    void theRoutingTableAndTheOpenApiDocumentNameTheSameOperations() throws Exception {
        Set<String> routed = new TreeSet<>();
        for (Router.Route r : AdminServer.router(null, null, null, Map.of()).routes()) {
            routed.add(r.method() + " /" + String.join("/", r.pattern()));
        }
        routed.removeAll(DASHBOARD);

        JsonNode doc;
        try (InputStream in = Dashboard.class.getResourceAsStream("openapi.json")) {
            doc = new ObjectMapper().readTree(in);
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
        }
        assertThat(List.copyOf(routed)).as("routes vs the operations of openapi.json").isEqualTo(List.copyOf(documented));
    }
}

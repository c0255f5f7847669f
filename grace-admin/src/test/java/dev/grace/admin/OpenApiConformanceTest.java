package dev.grace.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;
import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at {@code /api/openapi.json} against the real server: every operation it
 * describes is called on loopback (with its parameters' and body's examples, then without the token, then
 * with an unknown parameter), and each answer's status must be one the document lists for that
 * operation, its content type the documented one, and its JSON body must hold the schema's required fields.
 */
class OpenApiConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GraceRuntime runtime;
    private AdminClient client;
    private JsonNode doc;
    private final List<String> checked = new ArrayList<>();

    @BeforeEach
    void start() {
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withFlushInterval(Duration.ofMillis(20)));
        runtime = GraceRuntime.builder().config(config).clock(new TestClock(Instant.parse("2024-05-01T10:15:00Z")))
                .discoverClasspath(false).plugin(new TestPlugins.Good()).plugin(new TestPlugins.SecondGood())
                .plugin(new Federation())
                .supervise(false).build().start();
        client = new AdminClient(runtime.adminEndpoint().orElseThrow());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void everyOperationAnswersAsTheDocumentSays() throws Exception {
        AdminClient.Reply served = client.get("/api/openapi.json");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.contentType()).startsWith("application/json");
        doc = JSON.readTree(served.body());
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        String token = Files.readString(dir.resolve("admin-token")).strip();

        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey();
                JsonNode operation = op.getValue();
                String target = target(p.getKey(), operation);
                String body = operation.has("requestBody")
                        ? operation.at("/requestBody/content/application~1json/example").toString() : "";
                boolean secured = operation.has("security");

                check(method, p.getKey(), operation, call(method, target, body, secured ? token : null));
                if (secured) {
                    AdminClient.Reply anonymous = call(method, target, body, null);
                    assertThat(anonymous.status()).as(method + " " + target + " without the token").isEqualTo(401);
                    check(method, p.getKey(), operation, anonymous);
                }
                if (method.equals("get") && operation.at("/responses/400").isObject()) {
                    String unknown = target + (target.contains("?") ? "&" : "?") + "nope=1";
                    AdminClient.Reply refused = call(method, unknown, body, null);
                    assertThat(refused.status()).as("GET " + unknown).isEqualTo(400);
                    check(method, p.getKey(), operation, refused);
                }
            }
        }
        assertThat(checked).as("answers checked").hasSizeGreaterThan(20)
                .contains("get /api/cognition/status 200", "post /api/cognition/domains/{domain}/values 200",
                        "post /api/cognition/domain/{domain}/update 200", "post /api/cognition/report/generate 201",
                        "get /api/rollups 200", "get /api/rollups 400", "post /api/cognition/domains/{domain}/values 401");
    }

    private AdminClient.Reply call(String method, String target, String body, String token) {
        return method.equals("post") ? client.post(target, body, token) : client.get(target);
    }

    /** The path with its path parameters' examples, and every query parameter's example. */
    private static String target(String path, JsonNode operation) {
        String target = path;
        List<String> query = new ArrayList<>();
        for (JsonNode param : operation.path("parameters")) {
            String example = param.get("example").asText();
            if (param.get("in").asText().equals("path")) {
                target = target.replace("{" + param.get("name").asText() + "}", example);
            } else {
                query.add(param.get("name").asText() + "=" + URLEncoder.encode(example, StandardCharsets.UTF_8));
            }
        }
        return query.isEmpty() ? target : target + "?" + String.join("&", query);
    }

    private void check(String method, String path, JsonNode operation, AdminClient.Reply reply) throws Exception {
        String what = method.toUpperCase() + " " + path + " answered " + reply.status() + " " + reply.contentType()
                + ": " + reply.body();
        JsonNode response = operation.path("responses").path(String.valueOf(reply.status()));
        assertThat(response.isObject()).as(what + " — a status the document does not list").isTrue();
        String mediaType = reply.contentType().split(";")[0].strip();
        JsonNode content = response.path("content").path(mediaType);
        assertThat(content.isObject()).as(what + " — documented: " + response.path("content").fieldNames().next()).isTrue();
        JsonNode schema = resolve(content.path("schema"));
        if (schema.has("required")) {
            JsonNode body = JSON.readTree(reply.body());
            for (JsonNode field : schema.get("required")) {
                assertThat(body.has(field.asText())).as(what + " — required field " + field.asText()).isTrue();
            }
        }
        checked.add(method + " " + path + " " + reply.status());
    }

    private JsonNode resolve(JsonNode schema) {
        return schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
    }
}

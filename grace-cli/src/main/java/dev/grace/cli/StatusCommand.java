package dev.grace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grace.runtime.cognition.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code grace status}: every domain's scores and KPIs in the current hour, and the overall scores. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = GraceCommand.Version.class,
        description = {"Prints the current hour's overall health, trust and confidence, the same per domain with"
                + " its trend and alerts of the last 24 hours, and every KPI's count, mean and health contribution."
                + " With --url, read from a running runtime's admin API, with every plugin's state and cause."})
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    GraceCommand grace;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CognitionOptions options;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Option(names = "--url", paramLabel = "URL",
            description = "Read the running runtime at this admin API (grace run prints it), which adds the plugins'"
                    + " states; exit 3 when it does not answer. Default: read the store.")
    String url;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (url != null) {
            return fromRuntime(CognitionCommand.base(url), out);
        }
        Status status = options.read(grace, c -> c.status());
        if (json) {
            out.println(CognitionTables.json(status));
        } else {
            CognitionTables.status(status, out);
        }
        out.flush();
        return GraceCommand.DONE;
    }

    /** {@code /api/cognition/status} of a running runtime: the scores, and {@code plugins} with their states. */
    private int fromRuntime(URI base, PrintWriter out) throws IOException, InterruptedException {
        URI status = base.resolve("api/cognition/status");
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("grace: cannot reach " + base + " (" + e.getMessage()
                    + "); is grace run running? Point --url at its admin API");
            return GraceCommand.UNREACHABLE;
        }
        JsonNode body = JSON.readTree(answer.body());
        if (answer.statusCode() != 200) {
            spec.commandLine().getErr().println("grace: " + status + " answered " + answer.statusCode() + ": "
                    + body.path("detail").asText(answer.body()));
            return GraceCommand.UNREACHABLE;
        }
        if (json) {
            out.println(CognitionTables.json(body));
            out.flush();
            return GraceCommand.DONE;
        }
        JsonNode plugins = ((ObjectNode) body).remove("plugins");
        CognitionTables.status(CognitionTables.read(body, Status.class), out);
        out.println();
        out.println("Plugins:");
        for (JsonNode p : plugins) {
            out.println("  " + p.get("id").asText() + " " + p.get("state").asText()
                    + (p.get("cause").isNull() ? "" : ": " + p.get("cause").asText()));
        }
        out.flush();
        return GraceCommand.DONE;
    }
}

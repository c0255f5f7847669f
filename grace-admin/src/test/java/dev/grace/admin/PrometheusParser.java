package dev.grace.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus project's official Python parser (prometheus_client), run through
 * {@code .ci/prometheus-parser}. Tests that need it call {@link #requireOrSkip()}: without the OS
 * package python3-prometheus-client they are skipped with a message, unless Maven is given
 * {@code -Dgrace.test.prometheus=required} (as {@code .ci/run} does), which makes that a failure.
 */
final class PrometheusParser {

    /** One metric family as prometheus_client reads it; counters are named without {@code _total}. */
    record Family(String name, String type, String unit, String help, List<Sample> samples) {
    }

    /** One sample: its full name ({@code x_total}, {@code x_count}), labels and value. */
    record Sample(String name, Map<String, String> labels, String value) {
        double number() {
            return Double.parseDouble(value.replace("inf", "Infinity").replace("nan", "NaN"));
        }
    }

    private static final Path SCRIPT = Path.of("..", ".ci", "prometheus-parser").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusParser() {
    }

    static void requireOrSkip() throws Exception {
        String missing = null;
        if (!Files.isExecutable(SCRIPT)) {
            missing = "no " + SCRIPT;
        } else {
            Process check = new ProcessBuilder(SCRIPT.toString(), "--check").redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (check.waitFor() != 0) {
                missing = said;
            }
        }
        String message = "Prometheus parser test skipped: " + missing
                + "; install the OS package python3-prometheus-client, or run .ci/prometheus-parser --install";
        if ("required".equals(System.getProperty("grace.test.prometheus"))) {
            assertThat(missing).as(message).isNull();
        }
        assumeTrue(missing == null, message);
    }

    /** Every family by name, read by prometheus_client in {@code format} (text or openmetrics); fails on what it rejects. */
    static Map<String, Family> parse(String format, String body) throws Exception {
        Process p = new ProcessBuilder(SCRIPT.toString(), format).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(body.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the parser finished").isTrue();
        String stderr = new String(err.get(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("prometheus_client (%s) read the exposition: %s", format, stderr).isZero();
        List<Family> families = JSON.readValue(out.get(), new TypeReference<>() {
        });
        Map<String, Family> byName = new LinkedHashMap<>();
        families.forEach(f -> assertThat(byName.put(f.name(), f)).as("family %s once", f.name()).isNull());
        return byName;
    }

    /** The value of the one sample named {@code sample} whose labels are exactly {@code labels}. */
    static double value(Map<String, Family> families, String family, String sample, Map<String, String> labels) {
        Family f = families.get(family);
        assertThat(f).as(family + " in " + families.keySet()).isNotNull();
        List<Sample> found = f.samples().stream().filter(s -> s.name().equals(sample) && s.labels().equals(labels)).toList();
        assertThat(found).as(sample + labels + " in " + f.samples()).hasSize(1);
        return found.get(0).number();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.grace.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's main class in a JVM of its own, on this JVM's java and class path: what the crash, signal
 * and exit tests need to see a runtime end the way a process really does.
 */
final class ChildJvm {

    /** What a child printed (stdout and stderr together, line by line) and how it ended. */
    record Finished(int exitCode, List<String> output) {
    }

    private ChildJvm() {
    }

    /** The command, for a caller that redirects the child's streams itself. */
    static ProcessBuilder builder(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Starts the child with stderr merged into stdout. */
    static Process start(Class<?> main, String... args) throws IOException {
        return builder(main, args).redirectErrorStream(true).start();
    }

    /** Runs the child to its end (60 s at most) and returns what it printed. */
    static Finished run(Class<?> main, String... args) throws Exception {
        Process child = start(main, args);
        List<String> output = readAll(child);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("%s ended: %s", main.getSimpleName(), output).isTrue();
        return new Finished(child.exitValue(), output);
    }

    /** Every line the child prints from now until it closes its output. */
    static List<String> readAll(Process child) throws IOException {
        List<String> output = new ArrayList<>();
        try (BufferedReader out = reader(child)) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
            }
        }
        return output;
    }

    static BufferedReader reader(Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Reads the child's output up to its "started" line (its log lines share its stdout) and fails,
     * showing what it printed, when the child ends first.
     */
    static void awaitStarted(BufferedReader out) throws IOException {
        List<String> before = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("started")) {
            before.add(line);
        }
        assertThat(line).as("the child started: %s", before).isEqualTo("started");
    }
}

package dev.grace.runtime.internal.cognition;

import dev.grace.runtime.cognition.CognitionReader;

import java.nio.file.Path;
import java.time.Clock;

/** Placeholder replaced by the report writer being built on the cognition-cli branch. */
final class ReportWriter {

    private ReportWriter() {
    }

    static Path write(CognitionReader reader, Path file, Clock clock) {
        throw new UnsupportedOperationException("the readiness report is not built yet");
    }
}

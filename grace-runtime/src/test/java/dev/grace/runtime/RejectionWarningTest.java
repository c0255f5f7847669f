package dev.grace.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grace.api.MetricPublisher;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionWarningTest {

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger publisherLog = (Logger) LoggerFactory.getLogger("grace.publisher");

    @BeforeEach
    void capture() {
        log.start();
        publisherLog.addAppender(log);
    }

    @AfterEach
    void release() {
        publisherLog.detachAppender(log);
    }

    @Test
    void aFloodOfBadValuesGivesOneWarningPerReasonPerMinuteSayingHowManyWereSuppressed() {
        TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:05Z"));
        TestPlugins.Good plugin = new TestPlugins.Good();
        try (GraceRuntime runtime = GraceRuntime.builder().config(GraceConfig.defaults().withDataDir(dir)).clock(clock)
                .discoverClasspath(false).plugin(plugin).build().start()) {
            MetricPublisher p = plugin.publisher();
            for (int i = 0; i < 1000; i++) {
                p.record(TestPlugins.LATENCY, Double.NaN);
                p.record(TestPlugins.LATENCY, -1);
            }
            assertThat(log.list).hasSize(2);
            assertThat(log.list.get(0).getFormattedMessage())
                    .isEqualTo("plugin good published a value that was rejected (NOT_A_NUMBER): kpi=latency value=NaN");

            clock.advance(Duration.ofMinutes(1));
            runtime.turnHour();
            p.record(TestPlugins.LATENCY, Double.NaN);

            assertThat(log.list).hasSize(3);
            assertThat(log.list.get(2).getFormattedMessage()).endsWith("(999 more NOT_A_NUMBER since the last warning)");
            assertThat(runtime.stats().rejected("good")).containsEntry(dev.grace.api.RejectReason.NOT_A_NUMBER, 1001L)
                    .containsEntry(dev.grace.api.RejectReason.OUT_OF_RANGE, 1000L);
        }
    }

    @Test
    void aKpiNameWithALineBreakCannotForgeALogLine() {
        TestPlugins.Good plugin = new TestPlugins.Good();
        try (GraceRuntime runtime = GraceRuntime.builder().config(GraceConfig.defaults().withDataDir(dir))
                .clock(new TestClock(Instant.parse("2026-11-22T10:00:05Z"))).discoverClasspath(false).plugin(plugin)
                .build().start()) {
            plugin.publisher().publish("x\n2026-11-22 10:00:06 INFO grace: admin token rotated\r\u2028\u001b[2J", 1);
            assertThat(log.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                    .doesNotContain("\n", "\r", "\u2028", "\u001b")
                    .contains("kpi=x\\n2026-11-22 10:00:06 INFO grace: admin token rotated\\r\\u2028\\u001b[2J"));
        }
    }
}

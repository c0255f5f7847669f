package dev.grace.runtime.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grace.runtime.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionLogTest {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("grace.test.condition");
    private final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(null);
    }

    @Test
    void aThousandFailuresInTwoMinutesGiveOneLineAtTheStartOneAMinuteAndOneWhenItClears() {
        ConditionLog condition = new ConditionLog(logger, "the store is unreachable", clock);
        SQLTransientConnectionException down = new SQLTransientConnectionException("Connection is not available",
                "08001", new java.net.ConnectException("Connection refused"));
        for (int i = 0; i < 1000; i++) {
            condition.failed(down);
            clock.advance(Duration.ofMillis(150));
        }
        condition.cleared();
        condition.cleared();

        assertThat(appender.list).extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.WARN, Level.WARN, Level.WARN, Level.INFO);
        assertThat(appender.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("the store is unreachable: "
                + "SQLTransientConnectionException: Connection is not available; caused by ConnectException: Connection refused");
        // the 401st failure is the first a minute (60 s / 150 ms) after the first line
        assertThat(appender.list.get(1).getFormattedMessage()).startsWith("the store is unreachable for 60 s (400 more failures");
        assertThat(appender.list.get(2).getFormattedMessage()).startsWith("the store is unreachable for 2 min (400 more failures");
        assertThat(appender.list.get(3).getFormattedMessage())
                .isEqualTo("the store is unreachable no longer, after 2 min and 1000 failures");
    }

    @Test
    void theTraceGoesToDebugOnlyAndAConditionThatReturnsStartsAfresh() {
        logger.setLevel(Level.DEBUG);
        ConditionLog condition = new ConditionLog(logger, "webhook https://x.example/ failing", clock);
        condition.failed(new IllegalStateException("HTTP 500"));
        condition.cleared();
        condition.failed(new IllegalStateException("HTTP 502"));

        assertThat(appender.list).extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.WARN, Level.DEBUG, Level.INFO, Level.WARN, Level.DEBUG);
        assertThat(appender.list.get(1).getThrowableProxy()).isNotNull();
        assertThat(appender.list.get(3).getFormattedMessage())
                .isEqualTo("webhook https://x.example/ failing: IllegalStateException: HTTP 502");
        assertThat(condition.active()).isTrue();
    }

    @Test
    void noFailureMeansNoClearLine() {
        new ConditionLog(logger, "x", clock).cleared();
        assertThat(appender.list).isEmpty();
    }
}

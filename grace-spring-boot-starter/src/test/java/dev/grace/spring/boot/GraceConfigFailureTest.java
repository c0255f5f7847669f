package dev.grace.spring.boot;

import dev.grace.runtime.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.nio.file.Files;
import java.util.Map;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class GraceConfigFailureTest {

    @Test
    void anUnknownGraceKeyStopsTheStartWithTheYamlConfigsOneLineAndTheAnalyzerSaysWhatToDo() throws Exception {
        String dataDir = Files.createTempDirectory("grace-starter-bad-").toString();
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE)
                .properties("grace.dataDir=" + dataDir, "grace.publisher.latenesLimit=3h")
                .run().close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof ConfigException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(ConfigException.class);
        ConfigException config = (ConfigException) cause;
        assertThat(config.key()).isEqualTo("publisher.latenesLimit");
        assertThat(config.getMessage()).contains("Spring property").contains("publisher.latenesLimit").doesNotContain("\n");

        FailureAnalysis analysis = new GraceConfigFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).startsWith("Grace's configuration is invalid: ").contains("publisher.latenesLimit");
        assertThat(analysis.getAction()).contains("grace.publisher.latenesLimit");
    }

    @Test
    void theReservedTestSwitchesOfGracesOwnBuildAreNotReadAsConfiguration() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "grace.test.postgres.url", "jdbc:postgresql://127.0.0.1/grace", "grace.data-dir", "/tmp/grace")));
        assertThat(GraceProperties.keys(environment)).containsOnlyKeys("dataDir");
    }
}

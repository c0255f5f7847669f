package dev.grace.spring.boot;

import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GRACE_*} variables in a real application: the environment is the application's own
 * ({@link StandardEnvironment#getSystemEnvironment()}), here a map instead of the process's.
 */
class GraceEnvironmentTest {

    static final Path DATA;
    /** Static: {@link StandardEnvironment}'s constructor reads it before a subclass's fields are set. */
    static final Map<String, Object> ENV;

    static {
        try {
            DATA = Files.createTempDirectory("grace-starter-env-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ENV = Map.of("GRACE_DATA_DIR", DATA.toString(), "GRACE_NODE_ID", "node-from-env",
                "GRACE_PUBLISHER_LATENESS_LIMIT", "5h");
    }

    /** An environment whose variables are {@link #ENV}, as a process started with them would have. */
    static final class VariablesEnvironment extends StandardEnvironment {
        @Override
        public Map<String, Object> getSystemEnvironment() {
            return ENV;
        }
    }

    @Test
    void aGracePropertyWinsOverTheSameKeyAsAGraceVariableAndTheOtherVariablesApply() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE).environment(new VariablesEnvironment())
                .run("--grace.publisher.lateness-limit=3h")) {
            GraceConfig config = context.getBean(GraceConfig.class);
            assertThat(config.publisher().latenessLimit()).isEqualTo(Duration.ofHours(3));
            assertThat(config.nodeId()).isEqualTo("node-from-env");
            assertThat(config.dataDir()).isEqualTo(DATA);
        }
    }

    /**
     * Spring resolves a {@code grace.*} property first, in Boot's order, where the OS environment
     * ranks above application.properties and the application's defaults: the variable of the same
     * (kebab-case) name is then that property's value, as for any Boot property.
     */
    @Test
    void aVariableWinsOverAPropertyThatBootRanksBelowTheEnvironment() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApplication.class)
                .web(WebApplicationType.NONE).environment(new VariablesEnvironment())
                .properties("grace.publisher.lateness-limit=3h").run()) {
            assertThat(context.getBean(GraceConfig.class).publisher().latenessLimit()).isEqualTo(Duration.ofHours(5));
        }
    }
}

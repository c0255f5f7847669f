package dev.grace.spring.boot;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
import dev.grace.testkit.PluginJar;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin jar in {@code grace.plugins-dirs}, found by the runtime's ServiceLoader: no bean declares it. */
@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,prometheus",
        "management.endpoint.health.show-details=always",
        "grace.supervision.interval=1h"})
@AutoConfigureObservability(tracing = false) // Boot's tests export no metrics without it
class PluginJarStarterTest {

    static final String TALLY = "com.example.tally.TallyPlugin";
    static final String TALLY_SOURCE = """
            package com.example.tally;

            import dev.grace.api.*;
            import java.util.List;

            /** Records two values when it starts. */
            public final class TallyPlugin implements DomainPlugin {
                static final Kpi JOBS = Kpi.builder("jobs", Kpi.Unit.COUNT).build();

                public PluginInfo info() {
                    return PluginInfo.builder("tally").domain("batch").version("1.0.0").apiRange("[0.1,1)").build();
                }

                public List<Kpi> kpis() {
                    return List.of(JOBS);
                }

                public void start(PluginContext context) {
                    context.publisher().record(JOBS, 4);
                    context.publisher().record(JOBS, 6);
                }
            }
            """;

    static final Path DATA;
    static final Path PLUGINS;

    static {
        try {
            DATA = Files.createTempDirectory("grace-starter-jar-");
            PLUGINS = DATA.resolve("plugins");
            PluginJar.builder().source(TALLY, TALLY_SOURCE).register(TALLY)
                    .manifest("Grace-Plugin-Id", "tally").manifest("Grace-Api-Range", "[0.1,1)")
                    .build(PLUGINS.resolve("tally.jar"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void dirs(DynamicPropertyRegistry registry) {
        registry.add("grace.data-dir", DATA::toString);
        registry.add("grace.plugins-dirs", PLUGINS::toString); // pluginsDirs, as in grace.yaml
    }

    @LocalServerPort
    int port;
    @Autowired
    GraceRuntime grace;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void thePluginJarRunsBesideTheBeanPluginAndActuatorShowsItsKpi() throws Exception {
        assertThat(grace.plugins()).anySatisfy(p -> {
            assertThat(p.id()).isEqualTo("tally");
            assertThat(p.state()).isEqualTo(PluginState.RUNNING);
        }).anySatisfy(p -> assertThat(p.id()).isEqualTo("shop"));

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"tally\":\"RUNNING\"").contains("\"shop\":\"RUNNING\"");

        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("grace_kpi_accepted_total{domain=\"batch\",kpi=\"jobs\"} 2.0")
                .contains("grace_kpi_hour_mean{domain=\"batch\",kpi=\"jobs\"} 5.0");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package dev.grace.spring.boot;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.PluginState;
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

@SpringBootTest(classes = ShopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,prometheus",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true",
        "grace.supervision.interval=1h"})
@AutoConfigureObservability(tracing = false) // Boot's tests export no metrics without it
class GraceStarterTest {

    static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("grace-starter-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("grace.data-dir", DATA::toString); // kebab-case, read as dataDir
    }

    @LocalServerPort
    int port;
    @Autowired
    GraceRuntime grace;
    @Autowired
    ShopApplication.ShopPlugin shop;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theContextRunsGraceWithTheBeanPluginAndActuatorShowsIt() throws Exception {
        assertThat(grace.plugins()).anySatisfy(p -> {
            assertThat(p.id()).isEqualTo("shop");
            assertThat(p.state()).isEqualTo(PluginState.RUNNING);
        });
        assertThat(grace.storeLocation()).hasValueSatisfying(l -> assertThat(l).contains(DATA.toString()));
        for (int i = 0; i < 7; i++) {
            shop.publisher.record(ShopApplication.ORDERS, 3);
        }

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"grace\":{\"status\":\"UP\"").contains("\"shop\":\"RUNNING\"")
                .contains("\"reachable\":true");

        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"").doesNotContain("grace").doesNotContain("store");

        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"grace\":{\"status\":\"UP\"").contains("readinessState");

        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("grace_kpi_accepted_total{domain=\"shop\",kpi=\"orders\"} 7.0")
                .contains("grace_kpi_hour_mean{domain=\"shop\",kpi=\"orders\"} 3.0")
                .contains("grace_values_rejected_total{reason=\"OUT_OF_RANGE\"} 0.0");

        // a series: its meters are registered by the first reading that sees it (a reading serves one
        // second), so it shows from the scrape after that
        shop.publisher.series(ShopApplication.BASKET, "channel", "web").record(4);
        shop.publisher.series(ShopApplication.BASKET, "channel", "web").record(2);
        String scrape = "";
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!scrape.contains("grace_kpi_series_hour_count") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            scrape = get("/actuator/prometheus").body();
        }
        assertThat(scrape)
                .contains("grace_kpi_hour_mean{domain=\"shop\",kpi=\"basket\"} 3.0")
                .contains("grace_kpi_series_hour_count{channel=\"web\",domain=\"shop\",grace_series_overflow=\"\","
                        + "kpi=\"basket\"} 2.0")
                .contains("grace_kpi_series_hour_mean{channel=\"web\",domain=\"shop\",grace_series_overflow=\"\","
                        + "kpi=\"basket\"} 3.0");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package dev.grace.admin;

import dev.grace.runtime.GraceRuntime;
import dev.grace.runtime.TestClock;
import dev.grace.runtime.TestPlugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grace.runtime.config.GraceConfig;
import dev.grace.runtime.config.HttpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The dashboard in headless Chromium against a running runtime: it shows the runtime's domains and
 * their live values. Skipped when Chromium or chromedriver are not installed, unless
 * {@code -Dgrace.test.browser=required} (as {@code .ci/run} passes), which makes their absence a failure.
 */
class DashboardBrowserTest {

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    @TempDir
    Path dir;

    /** Headless Chromium through chromedriver; skips (or, when required, fails) the test without them. */
    private WebDriver browser() {
        String browser = first(BROWSERS);
        String driver = first(DRIVERS);
        boolean required = "required".equals(System.getProperty("grace.test.browser"));
        String missing = "headless Chromium test skipped: " + (browser == null ? "no Chromium (looked for " + BROWSERS + ")"
                : "no chromedriver (looked for " + DRIVERS + ")") + "; install the OS packages chromium and"
                + " chromium-driver, or run .ci/chromium";
        if (required) {
            assertThat(browser != null && driver != null).as(missing).isTrue();
        }
        assumeTrue(browser != null && driver != null, missing);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--user-data-dir=" + dir.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void drillsDownIntoAKpisSeriesByTheChosenKeyWithTheOverflowCount() throws Exception {
        Federation federation = new Federation();
        // the store off: the series come from the hours in memory (with the store on, from its rollupsBy)
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null))
                .withStore(GraceConfig.Store.defaults().withEnabled(false));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(new TestClock(Instant.now()))
                .discoverClasspath(false).plugin(federation).supervise(false).build().start()) {
            federation.publishSeries();
            WebDriver web = browser();
            try {
                web.get(runtime.adminEndpoint().orElseThrow() + "?refresh=1");
                String latency = ".domain[data-domain='federation'] .kpi[data-kpi='latency']";
                new WebDriverWait(web, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                        .until(d -> d.findElements(By.cssSelector(latency + " select.by")).size() == 1);
                assertThat(web.findElements(By.cssSelector(".kpi[data-kpi='synced'] select.by")))
                        .as("a KPI without attributes has nothing to drill into").isEmpty();
                assertThat(read(web, () -> new Select(web.findElement(By.cssSelector(latency + " select.by"))).getOptions()
                        .stream().map(o -> o.getText()).toList())).containsExactly("total only", "by connector", "by region");

                read(web, () -> {
                    new Select(web.findElement(By.cssSelector(latency + " select.by"))).selectByValue("connector");
                    return true;
                });
                String billing = latency + " table.series[data-by='connector'] tr[data-series='connector=billing']";
                try {
                    new WebDriverWait(web, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                            .until(d -> d.findElements(By.cssSelector(billing)).size() == 1);
                } catch (TimeoutException e) {
                    throw new AssertionError("no series row for connector=billing in "
                            + web.findElement(By.cssSelector(latency)).getAttribute("outerHTML"), e);
                }
                assertThat(text(web, billing + " .value")).isEqualTo("billing");
                assertThat(text(web, billing + " .count")).isEqualTo("2");
                assertThat(Double.parseDouble(text(web, billing + " .p95"))).as("300 ms within 1%, never above the max")
                        .isBetween(297.0, 300.0);
                String crm = latency + " tr[data-series='connector=crm']";
                assertThat(text(web, crm + " .count")).isEqualTo("2");
                String overflow = latency + " tr[data-series='_overflow']";
                assertThat(text(web, overflow + " .value")).isEqualTo("overflow (past 3 series)");
                assertThat(text(web, overflow + " .count")).isEqualTo("2");

                // the choice survives the page's redraws, and a value recorded now shows in its series
                federation.publisher().series(Federation.LATENCY, "connector", "billing", "region", "eu").record(50);
                new WebDriverWait(web, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                        .until(d -> text(web, billing + " .count").equals("3"));

                Path shot = ((TakesScreenshot) web).getScreenshotAs(OutputType.FILE).toPath();
                Path kept = Path.of("target", "dashboard-series.png");
                Files.createDirectories(kept.getParent());
                Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                web.quit();
            }
        }
    }

    @Test
    void showsTheDomainsOfARunningRuntimeWithTheirLiveValues() throws Exception {
        TestPlugins.Good core = new TestPlugins.Good();
        TestPlugins.SecondGood security = new TestPlugins.SecondGood();
        GraceConfig config = GraceConfig.defaults().withDataDir(dir).withPluginsDirs(List.of())
                .withHttp(new HttpConfig(true, "127.0.0.1:0", null));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).clock(new TestClock(Instant.now()))
                .discoverClasspath(false).plugin(core).plugin(security).supervise(false).build().start()) {
            core.publisher().record(TestPlugins.SUCCESS, 0.25);
            core.publisher().record(TestPlugins.SUCCESS, 0.75);
            security.publisher().record(TestPlugins.LATENCY, 1.5);
            WebDriver web = browser();
            try {
                web.get(runtime.adminEndpoint().orElseThrow() + "?refresh=1");
                new WebDriverWait(web, Duration.ofSeconds(20)).until(d ->
                        d.findElements(By.cssSelector(".domain[data-domain='security'] .kpi[data-kpi='latency'] svg polyline"))
                                .size() == 1);

                assertThat(web.getTitle()).isEqualTo("Grace dashboard");
                assertThat(read(web, () -> web.findElements(By.cssSelector(".domain")).stream()
                        .map(e -> e.getAttribute("data-domain")).toList())).containsExactly("core", "security");
                assertThat(text(web, ".domain[data-domain='core'] .kpi[data-kpi='success'] .now")).isEqualTo("0.500");
                assertThat(text(web, ".domain[data-domain='core']")).contains("good RUNNING");
                assertThat(text(web, "#runtime")).startsWith("up");
                assertThat(text(web, "#totals")).isEqualTo("3 accepted · 0 rejected");
                // the overall scores of the open hour, from what the store holds (flushed every 20 ms here)
                new WebDriverWait(web, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                        .until(d -> text(web, "#overall-health").matches("\\d\\.\\d+.*"));
                assertThat(text(web, "#cognition-note")).startsWith("hour ").endsWith("(open)");

                // it refreshes itself: a value published now shows without reloading
                core.publisher().record(TestPlugins.SUCCESS, 1.0);
                new WebDriverWait(web, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                        .until(d -> text(web, ".domain[data-domain='core'] .kpi[data-kpi='success'] .now").equals("0.667"));

                Path shot = ((TakesScreenshot) web).getScreenshotAs(OutputType.FILE).toPath();
                Path kept = Path.of("target", "dashboard.png");
                Files.createDirectories(kept.getParent());
                Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
                assertThat(Files.size(kept)).isGreaterThan(10_000);
            } finally {
                web.quit();
            }
        }
    }

    /** The page redraws itself every second: read again when an element was replaced under us. */
    private static <T> T read(WebDriver web, java.util.function.Supplier<T> read) {
        return new WebDriverWait(web, Duration.ofSeconds(5)).ignoring(StaleElementReferenceException.class)
                .until(d -> read.get());
    }

    private static String text(WebDriver web, String css) {
        return read(web, () -> web.findElement(By.cssSelector(css)).getText());
    }

    private static String first(List<String> candidates) {
        return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }
}

package dev.grace.runtime;

import dev.grace.api.DomainPlugin;
import dev.grace.api.Kpi;
import dev.grace.api.MetricPublisher;
import dev.grace.api.PluginContext;
import dev.grace.api.PluginInfo;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Plugins with known behaviour, and a way to offer chosen ones to ServiceLoader. */
public final class TestPlugins {

    public static final Kpi LATENCY = Kpi.builder("latency", Kpi.Unit.SECONDS).lowerIsBetter().range(0, 60).build();
    public static final Kpi SUCCESS = Kpi.builder("success", Kpi.Unit.RATIO).healthBearing().build();

    private TestPlugins() {
    }

    /** A class loader whose services file lists exactly these provider class names. */
    public static ClassLoader servicesLoader(Path dir, String... providerClassNames) {
        try {
            Path services = dir.resolve("META-INF/services");
            Files.createDirectories(services);
            Files.write(services.resolve(DomainPlugin.class.getName()), List.of(providerClassNames));
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, TestPlugins.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps its context so tests can publish through it. */
    public static class Good implements DomainPlugin {
        public volatile PluginContext context;
        final String id;
        final String domain;

        public Good() {
            this("good", "core");
        }

        public Good(String id, String domain) {
            this.id = id;
            this.domain = domain;
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder(id).domain(domain).version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(LATENCY, SUCCESS);
        }

        @Override
        public void start(PluginContext context) throws Exception {
            this.context = context;
        }

        public MetricPublisher publisher() {
            return context.publisher();
        }
    }

    public static final class SecondGood extends Good {
        public SecondGood() {
            super("second", "security");
        }
    }

    public static final class SameIdAsGood extends Good {
        public SameIdAsGood() {
            super("good", "ml");
        }
    }

    public static final class ThrowsInConstructor extends Good {
        public ThrowsInConstructor() {
            super("ctor", "core");
            throw new IllegalStateException("no database configured");
        }
    }

    public static final class ThrowsInStart extends Good {
        public ThrowsInStart() {
            super("throws", "core");
        }

        @Override
        public void start(PluginContext context) {
            throw new IllegalArgumentException("missing input file /nowhere/data.csv");
        }
    }

    public static final class HangsInStart extends Good {
        static final CountDownLatch NEVER = new CountDownLatch(1);

        public HangsInStart() {
            super("hangs", "core");
        }

        @Override
        public void start(PluginContext context) throws InterruptedException {
            NEVER.await();
        }
    }

    public static final class HangsInStop extends Good {
        public HangsInStop() {
            super("hangs-in-stop", "core");
        }

        @Override
        public void stop() throws InterruptedException {
            HangsInStart.NEVER.await();
        }
    }

    public static final class ThrowsInStop extends Good {
        public ThrowsInStop() {
            super("throws-in-stop", "core");
        }

        @Override
        public void stop() {
            throw new IllegalStateException("could not flush its cache");
        }
    }

    public static final class NeedsFutureApi extends Good {
        public NeedsFutureApi() {
            super("future", "core");
        }

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("future").domain("core").version("1.0.0").apiRange("[2.0,3.0)").build();
        }
    }

    public static final class RedeclaresLatency extends Good {
        public RedeclaresLatency() {
            super("redeclares", "core");
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(Kpi.builder("latency", Kpi.Unit.MILLISECONDS).build());
        }
    }

    /** Receives everything by injection instead of through start's argument. */
    public static final class Injected implements DomainPlugin {
        @Inject
        MetricPublisher publisher;
        @Inject
        Clock clock;
        ClassLoader contextLoaderInStart;

        @Override
        public PluginInfo info() {
            return PluginInfo.builder("injected").domain("knowledge").version("1.0.0").build();
        }

        @Override
        public List<Kpi> kpis() {
            return List.of(SUCCESS);
        }

        @Override
        public void start(PluginContext context) {
            contextLoaderInStart = Thread.currentThread().getContextClassLoader();
            publisher.record(SUCCESS, 1.0);
        }
    }
}

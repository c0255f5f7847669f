package dev.grace.testkit;

import dev.grace.api.DomainPlugin;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Sources of small plugins for jar tests, and what tests check about open files. */
final class JarPlugins {

    private JarPlugins() {
    }

    /**
     * A plugin class {@code pkg.Plugin} with id {@code id}, KPI {@code value} (COUNT), publishing
     * {@code startValue} (a Java expression) at start. {@code members} are added to the class body.
     */
    static String plugin(String pkg, String id, String infoExtras, String startValue, String members) {
        return """
                package %s;
                import dev.grace.api.*;
                import java.util.List;
                public final class Plugin implements DomainPlugin {
                    static final Kpi VALUE = Kpi.builder("value", Kpi.Unit.COUNT).build();
                    public PluginInfo info() { return PluginInfo.builder("%s").domain("%s").version("1.0.0")%s.build(); }
                    public List<Kpi> kpis() { return List.of(VALUE); }
                    public void start(PluginContext c) throws Exception { c.publisher().record(VALUE, %s); }
                    %s
                }
                """.formatted(pkg, id, id.replace('-', '_'), infoExtras, startValue, members);
    }

    /** A jar or classes directory holding grace-api, as the test classpath has it. */
    static Path graceApi() {
        try {
            return Path.of(DomainPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many of this JVM's open file descriptors point at {@code file}; -1 where /proc is not there. */
    static long openDescriptors(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        Path target = file.toRealPath();
        try (Stream<Path> list = Files.list(fds)) {
            return list.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException | UnsupportedOperationException e) {
                    return false;   // closed meanwhile
                }
            }).count();
        }
    }
}

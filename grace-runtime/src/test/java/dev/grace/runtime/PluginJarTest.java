package dev.grace.runtime;

import dev.grace.api.DomainPlugin;
import dev.grace.runtime.config.GraceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Plugins shipped as jars in a plugins directory, compiled here from source with the JDK's compiler. */
class PluginJarTest {

    @TempDir
    Path dir;

    @Test
    void aJarInThePluginsDirectoryIsDiscoveredWithItsOwnLoaderAndRuns() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        buildJar(plugins.resolve("tally.jar"), "com.example.tally.TallyPlugin", """
                package com.example.tally;
                import dev.grace.api.*;
                import java.util.List;
                public final class TallyPlugin implements DomainPlugin {
                    static final Kpi ITEMS = Kpi.builder("items", Kpi.Unit.COUNT).build();
                    public PluginInfo info() { return PluginInfo.builder("tally").domain("ops").version("2.1.0").build(); }
                    public List<Kpi> kpis() { return List.of(ITEMS); }
                    public void start(PluginContext c) {
                        c.publisher().record(ITEMS, getClass().getClassLoader().getName().length());
                    }
                }
                """, true);
        buildJar(plugins.resolve("empty.jar"), "com.example.empty.Nothing", """
                package com.example.empty;
                public final class Nothing {}
                """, false);

        GraceConfig config = GraceConfig.defaults().withDataDir(dir.resolve("data")).withPluginsDirs(List.of(plugins));
        try (GraceRuntime runtime = GraceRuntime.builder().config(config).discoverClasspath(false).build().start()) {
            assertThat(runtime.plugins()).anySatisfy(s -> {
                assertThat(s.id()).isEqualTo("tally");
                assertThat(s.state()).isEqualTo(PluginState.RUNNING);
                assertThat(s.source()).isEqualTo(plugins.resolve("tally.jar").toString());
                assertThat(s.version()).isEqualTo("2.1.0");
            });
            assertThat(runtime.plugins()).anySatisfy(s -> {
                assertThat(s.state()).isEqualTo(PluginState.FAILED);
                assertThat(s.source()).isEqualTo(plugins.resolve("empty.jar").toString());
                assertThat(s.cause()).contains("no META-INF/services/dev.grace.api.DomainPlugin entry in empty.jar");
            });
            assertThat(runtime.stats().accepted("tally")).isEqualTo(1);
            assertThat(runtime.rollups().all()).singleElement()
                    .satisfies(r -> assertThat(r.sum()).isEqualTo("grace-plugin:tally.jar".length()));
        }
    }

    private void buildJar(Path jar, String className, String source, boolean register) throws IOException {
        Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
        Path classes = dir.resolve("classes-" + jar.getFileName());
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, System.err, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as("compiling " + className).isZero();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (register) {
                out.putNextEntry(new JarEntry("META-INF/services/" + DomainPlugin.class.getName()));
                OutputStream o = out;
                o.write((className + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}

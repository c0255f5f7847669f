package dev.grace.testkit;

import dev.grace.api.DomainPlugin;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Makes a plugin jar inside a test: compiles Java sources with the JDK's compiler (against the
 * test's classpath and the given libraries), registers providers, shades libraries in, and writes
 * manifest attributes. Load the result through the real isolated loader with
 * {@link PluginHarness#forJar(Path)}, or put it in a runtime's plugins directory.
 *
 * <pre>{@code
 * Path jar = PluginJar.builder()
 *         .source("com.example.Tally", "package com.example; public final class Tally implements ... { ... }")
 *         .register("com.example.Tally")
 *         .manifest("Grace-Plugin-Id", "tally")
 *         .build(dir.resolve("tally.jar"));
 * }</pre>
 */
public final class PluginJar {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Set<String> providers = new LinkedHashSet<>();
    private final List<Path> libraries = new ArrayList<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();

    private PluginJar() {
    }

    /** Starts describing a jar. */
    public static PluginJar builder() {
        return new PluginJar();
    }

    /** A Java source file, by its class's fully qualified name. */
    public PluginJar source(String className, String javaSource) {
        sources.put(className, javaSource);
        return this;
    }

    /** Lists a class in {@code META-INF/services/dev.grace.api.DomainPlugin}. */
    public PluginJar register(String className) {
        providers.add(className);
        return this;
    }

    /**
     * A library to shade in: a jar, or a directory of classes. Its entries are copied into this jar
     * (its manifest and signatures are not), and the sources compile against it.
     */
    public PluginJar library(Path jarOrClassesDir) {
        libraries.add(jarOrClassesDir);
        return this;
    }

    /** A text resource at {@code path} inside the jar. */
    public PluginJar resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /** A main manifest attribute, for example {@code Grace-Api-Range: [0.1,1)}. */
    public PluginJar manifest(String name, String value) {
        manifest.put(name, value);
        return this;
    }

    /**
     * Compiles and writes the jar to {@code jar} (its directory is created).
     *
     * @return {@code jar}
     * @throws IllegalStateException with the compiler's messages when a source does not compile
     */
    public Path build(Path jar) {
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            Path work = Files.createTempDirectory("grace-plugin-jar-");
            try {
                Path classes = compile(work);
                write(jar, classes);
            } finally {
                delete(work);
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build plugin jar " + jar, e);
        }
    }

    private Path compile(Path work) throws IOException {
        Path classes = Files.createDirectories(work.resolve("classes"));
        if (sources.isEmpty()) {
            return classes;
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = work.resolve("src").resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        StringBuilder cp = new StringBuilder();
        libraries.forEach(l -> cp.append(l).append(java.io.File.pathSeparator));
        cp.append(System.getProperty("java.class.path"));
        args.addAll(0, List.of("-d", classes.toString(), "-cp", cp.toString(), "-proc:none", "-nowarn"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("the plugin sources do not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        return classes;
    }

    private void write(Path jar, Path classes) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Set<String> written = new LinkedHashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            written.add(JarFile.MANIFEST_NAME);
            copyTree(classes, out, written);
            for (Path lib : libraries) {
                if (Files.isDirectory(lib)) {
                    copyTree(lib, out, written);
                } else {
                    copyJar(lib, out, written);
                }
            }
            if (!providers.isEmpty()) {
                put(out, written, "META-INF/services/" + DomainPlugin.class.getName(),
                        (String.join("\n", providers) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                put(out, written, r.getKey(), r.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void copyTree(Path root, JarOutputStream out, Set<String> written) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                put(out, written, root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
    }

    private static void copyJar(Path lib, JarOutputStream out, Set<String> written) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(lib))) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                String name = e.getName();
                if (e.isDirectory() || name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                        || name.endsWith(".DSA"))) {
                    continue;
                }
                put(out, written, name, in.readAllBytes());
            }
        }
    }

    /** Writes an entry once; the first writer wins, as with the shade plugin. */
    private static void put(JarOutputStream out, Set<String> written, String name, byte[] bytes) throws IOException {
        if (!written.add(name)) {
            return;
        }
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}

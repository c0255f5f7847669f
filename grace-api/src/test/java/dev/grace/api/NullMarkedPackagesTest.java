package dev.grace.api;

import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every package of grace-api is {@code @NullMarked}, so that an unannotated parameter or result means
 * non-null everywhere; a package added without a package-info saying so fails here.
 */
class NullMarkedPackagesTest {

    @Test
    void everyGraceApiPackageIsNullMarked() throws IOException, URISyntaxException {
        // The directory (or jar) that GraceApi was loaded from is grace-api's main output, not its tests'.
        Path classes = Path.of(GraceApi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."))
                    .forEach(packages::add);
        }
        assertThat(packages).contains("dev.grace.api");

        Set<String> unmarked = new TreeSet<>();
        for (String name : packages) {
            if (!nullMarked(name)) {
                unmarked.add(name);
            }
        }
        assertThat(unmarked).as("grace-api packages without @NullMarked in their package-info.java").isEmpty();
    }

    private static boolean nullMarked(String packageName) {
        try {
            // javac writes no package-info class for a package-info.java without annotations, or without one
            return Class.forName(packageName + ".package-info", false, GraceApi.class.getClassLoader())
                    .isAnnotationPresent(NullMarked.class);
        } catch (ClassNotFoundException noPackageInfo) {
            return false;
        }
    }
}

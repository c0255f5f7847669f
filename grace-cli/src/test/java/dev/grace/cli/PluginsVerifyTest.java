package dev.grace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grace.testkit.PluginJar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code grace plugins verify} finds, from the jar's class files and manifest alone, each thing that loading
 * would refuse, one line each naming the jar, the entry and what would be right, and exits 1; and the
 * loader, given the same jar, refuses it with the same reason.
 */
class PluginsVerifyTest {

    private static final String SERVICES = "META-INF/services/dev.grace.api.DomainPlugin";

    @TempDir
    Path dir;

    record Result(int exitCode, List<String> out, String err) {
    }

    private static Result grace(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = GraceCommand.commandLine(Map.of());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString().lines().toList(), err.toString());
    }

    private PluginJar inventory() {
        return PluginJar.builder()
                .source("com.acme.inventory.InventoryPlugin",
                        GraceCommandTest.okPlugin("com.acme.inventory", "InventoryPlugin", "inventory"))
                .manifest("Grace-Plugin-Id", "inventory")
                .manifest("Grace-Api-Range", "[0.1,1)");
    }

    private Result verify(Path jar) {
        return grace("plugins", "verify", jar.toString());
    }

    @Test
    void aServicesEntryNamingAMissingClassIsRefusedNamingTheClassesThatWouldDo() {
        Path jar = inventory().register("com.acme.inventory.InventoryPlugn").build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsExactly("plugin inventory (" + jar + "): would be refused",
                "    refused: inventory.jar: " + SERVICES + " names com.acme.inventory.InventoryPlugn, which is not a"
                        + " class in inventory.jar; the classes there that implement dev.grace.api.DomainPlugin:"
                        + " com.acme.inventory.InventoryPlugin");
    }

    @Test
    void aServicesEntryNamingAClassThatIsNoPluginIsRefused() {
        Path jar = inventory().source("com.acme.inventory.Helper", "package com.acme.inventory; public class Helper { }")
                .register("com.acme.inventory.Helper").build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("    refused: inventory.jar: " + SERVICES + " names com.acme.inventory.Helper,"
                + " which does not implement dev.grace.api.DomainPlugin; implement it, or remove the entry");
    }

    @Test
    void aPluginClassWithoutAPublicNoArgumentConstructorIsRefused() {
        Path jar = inventory().source("com.acme.inventory.InventoryPlugin",
                        GraceCommandTest.okPlugin("com.acme.inventory", "InventoryPlugin", "inventory")
                                .replace("// extra", "public InventoryPlugin(String where) { }"))
                .register("com.acme.inventory.InventoryPlugin").build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("    refused: inventory.jar: " + SERVICES
                + " names com.acme.inventory.InventoryPlugin, which has no public no-argument constructor; add one"
                + " (fields can be @Inject-ed after construction)");
    }

    @Test
    void anAbstractOrPackagePrivatePluginClassIsRefused() {
        Path jar = inventory()
                .source("com.acme.inventory.Base", "package com.acme.inventory; public abstract class Base"
                        + " implements dev.grace.api.DomainPlugin { }")
                .source("com.acme.inventory.Hidden", GraceCommandTest.okPlugin("com.acme.inventory", "Hidden", "hidden")
                        .replace("public final class Hidden", "final class Hidden"))
                .register("com.acme.inventory.Base").register("com.acme.inventory.Hidden")
                .build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains(
                "    refused: inventory.jar: " + SERVICES + " names com.acme.inventory.Base, which is abstract;"
                        + " name a concrete subclass",
                "    refused: inventory.jar: " + SERVICES + " names com.acme.inventory.Hidden, which is not a public"
                        + " class; the runtime can construct only a public class");
    }

    @Test
    void anInvalidManifestIdIsRefusedWithAValidSpelling() {
        Path jar = inventory().manifest("Grace-Plugin-Id", "Acme_Inventory").register("com.acme.inventory.InventoryPlugin")
                .build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("    refused: Grace-Plugin-Id in the manifest of inventory.jar: plugin id"
                + " 'Acme_Inventory' must match [a-z][a-z0-9-]{0,63}, for example acme-inventory");
    }

    @Test
    void aMalformedApiRangeIsRefused() {
        Path jar = inventory().manifest("Grace-Api-Range", "0.1-1").register("com.acme.inventory.InventoryPlugin")
                .build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsExactly("plugin inventory (" + jar + "): would be refused",
                "    refused: Grace-Api-Range in the manifest of inventory.jar: version range \"0.1-1\" is not of the"
                        + " form [1.0,2.0), (,1.5], [1.2] or 1.2");
    }

    @Test
    void malformedRequiresAreRefusedOneLineEach() {
        Path jar = inventory().manifest("Grace-Requires", "Core_Plugin, security [1.0-2.0)")
                .register("com.acme.inventory.InventoryPlugin").build(dir.resolve("inventory.jar"));

        Result result = verify(jar);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).containsExactly("plugin inventory (" + jar + "): would be refused",
                "    refused: Grace-Requires in the manifest of inventory.jar: required plugin id 'Core_Plugin' must"
                        + " match [a-z][a-z0-9-]{0,63}, for example core-plugin",
                "    refused: Grace-Requires in the manifest of inventory.jar: security: version range \"[1.0-2.0)\""
                        + " is not of the form [1.0,2.0), (,1.5], [1.2] or 1.2");
    }

    @Test
    void aProviderInAnotherJarOfThePluginsFolderIsAccepted() {
        Path folder = dir.resolve("inventory");
        Path lib = PluginJar.builder()
                .source("com.acme.inventory.InventoryPlugin",
                        GraceCommandTest.okPlugin("com.acme.inventory", "InventoryPlugin", "inventory"))
                .build(folder.resolve("inventory-core.jar"));
        PluginJar.builder().library(lib).register("com.acme.inventory.InventoryPlugin")
                .manifest("Grace-Plugin-Id", "inventory").build(dir.resolve("services.jar"));
        // the services entry alone in one jar, the class in the other
        Path entriesOnly = PluginJar.builder().resource(SERVICES, "com.acme.inventory.InventoryPlugin\n")
                .manifest("Grace-Plugin-Id", "inventory").build(folder.resolve("inventory.jar"));

        Result result = verify(folder);

        assertThat(Files.exists(entriesOnly)).isTrue();
        assertThat(result.exitCode()).as(String.join("\n", result.out())).isZero();
        assertThat(result.out()).containsExactly("plugin inventory (" + folder + "): ok",
                "    providers: com.acme.inventory.InventoryPlugin");
    }

    @Test
    void theLoaderRefusesAnInvalidManifestIdNamingIt() {
        Path plugins = dir.resolve("plugins");
        inventory().manifest("Grace-Plugin-Id", "Acme_Inventory").register("com.acme.inventory.InventoryPlugin")
                .build(plugins.resolve("inventory.jar"));

        Result result = grace("plugins", "--plugins-dir", plugins.toString());

        assertThat(result.out()).anySatisfy(line -> assertThat(line).matches("Acme_Inventory +.*FAILED.*inventory\\.jar"))
                .contains("    cause: refused: Grace-Plugin-Id in the manifest of inventory.jar: plugin id"
                        + " 'Acme_Inventory' must match [a-z][a-z0-9-]{0,63}, for example acme-inventory");
    }

    @Test
    void theLoaderListsAServicesEntryNamingAMissingClassUnderThePluginsId() {
        Path plugins = dir.resolve("plugins");
        inventory().register("com.acme.inventory.InventoryPlugn").build(plugins.resolve("inventory.jar"));

        Result result = grace("plugins", "--plugins-dir", plugins.toString());

        assertThat(result.out()).anySatisfy(line -> assertThat(line).matches("inventory +.*FAILED.*inventory\\.jar"));
    }
}

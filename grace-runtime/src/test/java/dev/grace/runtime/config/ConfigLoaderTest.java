package dev.grace.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertFails(ConfigLoader loader, String message) {
        return assertThatThrownBy(loader::load).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void nothingGivenMeansTheDefaults() {
        assertThat(ConfigLoader.create().load()).isEqualTo(GraceConfig.defaults());
    }

    @Test
    void yamlFileSetsEveryKindOfKey() throws IOException {
        Path yaml = file("grace.yaml", """
                dataDir: /var/lib/grace
                pluginsDirs: [plugins, /opt/grace/plugins]
                nodeId: node-7
                publisher:
                  latenessLimit: 3h
                  rawEvents: false
                  rawEventCapacity: 1024
                lifecycle:
                  startTimeout: PT30S
                  stopTimeout: 500ms
                plugins:
                  example:
                    path: ./docs
                    depth: 3
                    limits: {maxFiles: 10}
                """);

        GraceConfig config = ConfigLoader.create().file(yaml).load();

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/grace"));
        assertThat(config.pluginsDirs()).containsExactly(Path.of("plugins"), Path.of("/opt/grace/plugins"));
        assertThat(config.nodeId()).isEqualTo("node-7");
        assertThat(config.publisher()).isEqualTo(new GraceConfig.Publisher(Duration.ofHours(3), false, 1024));
        assertThat(config.lifecycle()).isEqualTo(new GraceConfig.Lifecycle(Duration.ofSeconds(30), Duration.ofMillis(500)));
        assertThat(config.pluginSection("example"))
                .containsEntry("path", "./docs")
                .containsEntry("depth", 3)
                .containsEntry("limits", Map.of("maxFiles", 10));
    }

    @Test
    void jsonFileIsReadLikeYaml() throws IOException {
        Path json = file("grace.json", """
                {"dataDir": "data", "publisher": {"latenessLimit": "45m"}, "plugins": {"example": {"path": "x"}}}
                """);

        GraceConfig config = ConfigLoader.create().file(json).load();

        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.publisher().latenessLimit()).isEqualTo(Duration.ofMinutes(45));
        assertThat(config.publisher().rawEventCapacity()).isEqualTo(65536);
        assertThat(config.pluginSection("example")).isEqualTo(Map.of("path", "x"));
    }

    @Test
    void emptyFileAndNullValuesLeaveTheDefaults() throws IOException {
        assertThat(ConfigLoader.create().file(file("empty.yaml", "")).load()).isEqualTo(GraceConfig.defaults());
        assertThat(ConfigLoader.create().file(file("nulls.yaml", "dataDir:\npublisher:\nplugins:\n")).load())
                .isEqualTo(GraceConfig.defaults());
    }

    @Nested
    class Precedence {

        @Test
        void envBeatsFileAndOverridesBeatEnv() throws IOException {
            Path yaml = file("grace.yaml", """
                    dataDir: from-file
                    nodeId: file-node
                    publisher: {latenessLimit: 1h, rawEventCapacity: 2048}
                    """);

            GraceConfig config = ConfigLoader.create()
                    .file(yaml)
                    .env(Map.of("GRACE_DATA_DIR", "from-env", "GRACE_PUBLISHER_LATENESS_LIMIT", "2h"))
                    .overrides("--set", Map.of("publisher.latenessLimit", "3h"))
                    .load();

            assertThat(config.nodeId()).isEqualTo("file-node");
            assertThat(config.publisher().rawEventCapacity()).isEqualTo(2048);
            assertThat(config.dataDir()).isEqualTo(Path.of("from-env"));
            assertThat(config.publisher().latenessLimit()).isEqualTo(Duration.ofHours(3));
        }

        @Test
        void overridesApplyInTheOrderGiven() {
            GraceConfig config = ConfigLoader.create()
                    .overrides("--set", Map.of("dataDir", "from-set"))
                    .override("--data-dir", "dataDir", "from-flag")
                    .load();

            assertThat(config.dataDir()).isEqualTo(Path.of("from-flag"));
        }

        @Test
        void pluginSectionsMergeKeyByKeyAcrossLayers() throws IOException {
            Path yaml = file("grace.yaml", """
                    plugins:
                      example: {path: ./docs, depth: 3, limits: {maxFiles: 10, maxBytes: 100}}
                    """);

            GraceConfig config = ConfigLoader.create()
                    .file(yaml)
                    .env(Map.of("GRACE_PLUGINS__EXAMPLE__DEPTH", "4"))
                    .overrides("--set", Map.of("plugins.example.limits.maxFiles", "20"))
                    .load();

            assertThat(config.pluginSection("example")).isEqualTo(Map.of(
                    "path", "./docs", "depth", "4", "limits", Map.of("maxFiles", "20", "maxBytes", 100)));
        }
    }

    @Nested
    class Environment {

        @Test
        void everyKeyHasAVariableNamedAfterItsPath() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("GRACE_DATA_DIR", "d");
            env.put("GRACE_PLUGINS_DIRS", "a, b,,c");
            env.put("GRACE_NODE_ID", "n1");
            env.put("GRACE_PUBLISHER_LATENESS_LIMIT", "90m");
            env.put("GRACE_PUBLISHER_RAW_EVENTS", "FALSE");
            env.put("GRACE_PUBLISHER_RAW_EVENT_CAPACITY", "4096");
            env.put("GRACE_LIFECYCLE_START_TIMEOUT", "1m");
            env.put("GRACE_LIFECYCLE_STOP_TIMEOUT", "PT5S");

            GraceConfig config = ConfigLoader.create().env(env).load();

            assertThat(config).isEqualTo(new GraceConfig(Path.of("d"), List.of(Path.of("a"), Path.of("b"), Path.of("c")),
                    "n1", new GraceConfig.Publisher(Duration.ofMinutes(90), false, 4096),
                    new GraceConfig.Lifecycle(Duration.ofMinutes(1), Duration.ofSeconds(5)), Map.of(), null, null));
        }

        @Test
        void pluginKeysUseDoubleUnderscoresUpperCaseIdsAndCamelCaseKeys() {
            GraceConfig config = ConfigLoader.create()
                    .env(Map.of("GRACE_PLUGINS__SECURITY_HUNTER__SCAN_INTERVAL", "5m",
                            "GRACE_PLUGINS__EXAMPLE__LIMITS__MAX_FILES", "10"))
                    .load();

            assertThat(config.pluginSection("security-hunter")).isEqualTo(Map.of("scanInterval", "5m"));
            assertThat(config.pluginSection("example")).isEqualTo(Map.of("limits", Map.of("maxFiles", "10")));
        }

        @Test
        void envNameIsTheInverseOfTheMapping() {
            assertThat(ConfigLoader.envName("publisher.latenessLimit")).isEqualTo("GRACE_PUBLISHER_LATENESS_LIMIT");
            assertThat(ConfigLoader.envName("dataDir")).isEqualTo("GRACE_DATA_DIR");
            assertThat(ConfigLoader.envName("plugins.security-hunter.scanInterval"))
                    .isEqualTo("GRACE_PLUGINS__SECURITY_HUNTER__SCAN_INTERVAL");
        }

        @Test
        void launcherVariablesOtherPrefixesAndEmptyValuesAreIgnored() {
            GraceConfig config = ConfigLoader.create()
                    .env(Map.of("GRACE_HOME", "/opt/grace", "GRACE_OPTS", "-v", "GRACE_JAVA_OPTS", "-Xmx1g",
                            "GRACE_CONFIG", "grace.yaml", "PATH", "/usr/bin", "grace_data_dir", "lower",
                            "GRACE_NODE_ID", ""))
                    .load();

            assertThat(config).isEqualTo(GraceConfig.defaults());
        }

        @Test
        void vettingAndSupervisionAreReadLikeEveryOtherSection() {
            GraceConfig config = ConfigLoader.create()
                    .env(Map.of("GRACE_VETTING_DENY", "com.acme.internal, sun.misc.Unsafe",
                            "GRACE_SUPERVISION_MAX_RESTARTS", "3", "GRACE_SUPERVISION_BACKOFF", "500ms"))
                    .overrides("--set", Map.of("supervision.window", "10m"))
                    .load();

            assertThat(config.vetting().deny()).containsExactly("com.acme.internal", "sun.misc.Unsafe");
            assertThat(config.supervision()).isEqualTo(new GraceConfig.Supervision(Duration.ofSeconds(10), 3,
                    Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofMinutes(5)));
            assertThat(GraceConfig.defaults().vetting().deny())
                    .containsExactly("dev.grace.runtime.internal", "jdk.internal", "sun.misc.Unsafe");
        }

        @Test
        void unknownVariableIsRejectedListingTheKnownOnes() {
            String known = ConfigKeys.of(GraceConfig.class).valueKeys().stream().map(ConfigKeys::envName)
                    .collect(java.util.stream.Collectors.joining(", "));
            assertThat(known).startsWith("GRACE_DATA_DIR, GRACE_PLUGINS_DIRS, GRACE_NODE_ID, GRACE_PUBLISHER_LATENESS_LIMIT")
                    .contains("GRACE_STORE_MAX_UNSENT_HOURS, GRACE_STORE_JOURNAL_ENABLED, GRACE_STORE_JOURNAL_MAX_BYTES,"
                            + " GRACE_HTTP_ENABLED");
            assertFails(ConfigLoader.create().env(Map.of("GRACE_PUBLISHER_LATNESS_LIMIT", "3h")),
                    "GRACE_PUBLISHER_LATNESS_LIMIT: unknown configuration variable (known: " + known
                            + ", GRACE_PLUGINS__<ID>__<KEY>)")
                    .extracting(e -> ((ConfigException) e).source()).isEqualTo("GRACE_PUBLISHER_LATNESS_LIMIT");
        }

        @Test
        void malformedPluginVariableSaysHowToWriteIt() {
            String expected = ": expected GRACE_PLUGINS__<ID>__<KEY>, the plugin id and the key in upper snake case,"
                    + " for example GRACE_PLUGINS__MY_PLUGIN__SCAN_INTERVAL";
            for (String name : List.of("GRACE_PLUGINS__EXAMPLE", "GRACE_PLUGINS__EXAMPLE___PATH",
                    "GRACE_PLUGINS__EXAMPLE__path", "GRACE_PLUGINS____PATH")) {
                assertFails(ConfigLoader.create().env(Map.of(name, "x")), name + expected);
            }
        }

        @Test
        void badValueNamesTheVariableAndTheKey() {
            assertFails(ConfigLoader.create().env(Map.of("GRACE_PUBLISHER_LATENESS_LIMIT", "soon")),
                    "GRACE_PUBLISHER_LATENESS_LIMIT: publisher.latenessLimit: expected a duration such as 30s, 2h"
                            + " or PT2H, got \"soon\"");
            assertFails(ConfigLoader.create().env(Map.of("GRACE_PUBLISHER_RAW_EVENTS", "yes")),
                    "GRACE_PUBLISHER_RAW_EVENTS: publisher.rawEvents: expected true or false, got \"yes\"");
        }

        @Test
        void pluginIdThatCannotExistIsRejected() {
            assertFails(ConfigLoader.create().env(Map.of("GRACE_PLUGINS__9LIVES__PATH", "x")),
                    "GRACE_PLUGINS__9LIVES__PATH: plugins.9lives: \"9lives\" is not a plugin id"
                            + " (ids match [a-z][a-z0-9-]{0,63})");
        }
    }

    @Nested
    class Overrides {

        @Test
        void textIsReadByTheKeysType() {
            GraceConfig config = ConfigLoader.create()
                    .overrides("--set", Map.of("pluginsDirs", "p1,p2", "publisher.rawEvents", "false",
                            "publisher.rawEventCapacity", " 2048 ", "plugins.example.path", "/docs"))
                    .load();

            assertThat(config.pluginsDirs()).containsExactly(Path.of("p1"), Path.of("p2"));
            assertThat(config.publisher().rawEvents()).isFalse();
            assertThat(config.publisher().rawEventCapacity()).isEqualTo(2048);
            assertThat(config.pluginSection("example")).isEqualTo(Map.of("path", "/docs"));
        }

        @Test
        void unknownKeyListsTheKnownKeysOfItsSection() {
            assertFails(ConfigLoader.create().overrides("--set", Map.of("publisher.latnessLimit", "3h")),
                    "--set: unknown key publisher.latnessLimit (known keys under publisher: latenessLimit,"
                            + " rawEvents, rawEventCapacity)");
            assertFails(ConfigLoader.create().overrides("--set", Map.of("dataDir.sub", "x")),
                    "--set: unknown key dataDir.sub (known keys: dataDir, pluginsDirs, nodeId, publisher,"
                            + " lifecycle, plugins, vetting, supervision, store, http, cognition)");
        }

        @Test
        void badValueNamesTheFlagAndTheKey() {
            assertFails(ConfigLoader.create().overrides("--set", Map.of("publisher.rawEventCapacity", "lots")),
                    "--set: publisher.rawEventCapacity: expected a whole number, got \"lots\"");
            assertFails(ConfigLoader.create().override("--data-dir", "dataDir", " "),
                    "--data-dir: dataDir: expected a path, got \" \"");
        }

        @Test
        void sectionsCannotBeSetAsOneValue() {
            assertFails(ConfigLoader.create().overrides("--set", Map.of("publisher", "x")),
                    "--set: publisher: is a section; set one of its keys: publisher.latenessLimit,"
                            + " publisher.rawEvents, publisher.rawEventCapacity");
            assertFails(ConfigLoader.create().overrides("--set", Map.of("plugins.example", "x")),
                    "--set: plugins.example: is a section; set one plugin key at a time, as plugins.<id>.<key>");
        }

        @Test
        void malformedKeyIsRejected() {
            assertFails(ConfigLoader.create().overrides("--set", Map.of("publisher..rawEvents", "true")),
                    "--set: \"publisher..rawEvents\" is not a key; write a dotted path such as publisher.latenessLimit");
        }

        @Test
        void recordChecksComeOutWithTheKeyAndTheSourceThatSetIt() {
            assertFails(ConfigLoader.create().overrides("--set", Map.of("publisher.latenessLimit", "8d")),
                    "--set: publisher.latenessLimit: must be between 1ms and 7d, got PT192H")
                    .extracting(e -> ((ConfigException) e).key()).isEqualTo("publisher.latenessLimit");
            assertFails(ConfigLoader.create().env(Map.of("GRACE_LIFECYCLE_STOP_TIMEOUT", "0s")),
                    "GRACE_LIFECYCLE_STOP_TIMEOUT: lifecycle.stopTimeout: must be positive, got PT0S");
        }

        @Test
        void theJournalsKeysAreReadAndCheckedLikeEveryOther() {
            GraceConfig.Store.Journal journal = ConfigLoader.create()
                    .env(Map.of("GRACE_STORE_JOURNAL_MAX_BYTES", "4294967296"))
                    .overrides("--set", Map.of("store.journal.enabled", "false")).load().store().journal();
            assertThat(journal).isEqualTo(new GraceConfig.Store.Journal(false, 4L << 30));
            assertThat(ConfigLoader.create().load().store().journal())
                    .isEqualTo(new GraceConfig.Store.Journal(true, 256L << 20));
            assertFails(ConfigLoader.create().overrides("--set", Map.of("store.journal.maxBytes", "1000")),
                    "--set: store.journal.maxBytes: must be between 65536 (64 KiB) and 1099511627776 (1 TiB), got 1000");
            assertFails(ConfigLoader.create().env(Map.of("GRACE_STORE_JOURNAL_MAX_BYTES", "256MiB")),
                    "GRACE_STORE_JOURNAL_MAX_BYTES: store.journal.maxBytes: expected a whole number, got \"256MiB\"");
            assertFails(ConfigLoader.create().overrides("--set", Map.of("store.journal.enabled", "yes")),
                    "--set: store.journal.enabled: expected true or false, got \"yes\"");
        }

        @Test
        void theGuardsKeysAreReadAndCheckedLikeEveryOther() {
            CognitionConfig.Guard guard = ConfigLoader.create()
                    .env(Map.of("GRACE_COGNITION_GUARD_WINDOW", "48h", "GRACE_COGNITION_GUARD_DISTINCT_VALUES", "3"))
                    .overrides("--set", Map.of("cognition.guard.enabled", "false")).load().cognition().guard();
            assertThat(guard).isEqualTo(new CognitionConfig.Guard(false, Duration.ofHours(48), 3));
            assertThat(ConfigLoader.create().load().cognition().guard()).isEqualTo(CognitionConfig.Guard.defaults());
            assertThatThrownBy(ConfigLoader.create().overrides("--set", Map.of("cognition.guard.window", "90m"))::load)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("--set: cognition.guard.window: must be whole hours from 2h to 30d, got");
            assertThatThrownBy(ConfigLoader.create().env(Map.of("GRACE_COGNITION_GUARD_DISTINCT_VALUES", "101"))::load)
                    .isInstanceOf(ConfigException.class).hasMessage("GRACE_COGNITION_GUARD_DISTINCT_VALUES:"
                            + " cognition.guard.distinctValues: must be between 1 and 100, got 101");
        }

        @Test
        void anAlertTypeThatIsNoneIsRefusedNamingTheKeyAndTheTypes() {
            assertThat(ConfigLoader.create().overrides("--set", Map.of("cognition.webhookAlerts",
                    "threshold_lost, guard_flag_raised")).load().cognition().webhookAlerts())
                    .containsExactly("threshold_lost", "guard_flag_raised");
            assertThat(ConfigLoader.create().load().cognition().logAlerts()).containsExactly("all");
            // a misspelt type would route nothing to the channel, silently
            assertThatThrownBy(ConfigLoader.create().overrides("--set", Map.of("cognition.logAlerts",
                    "threshold_lost,domian_dip"))::load)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("--set: cognition.logAlerts: lists 'domian_dip', which is no alert type; expected all or any of"
                            + " threshold_crossed, threshold_lost, domain_dip, elevation_ready, guard_flag_raised,"
                            + " guard_flag_cleared");
        }
    }

    @Nested
    class FileErrors {

        @Test
        void badDurationNamesFileKeyExpectedFormAndValue() throws IOException {
            Path yaml = file("config.yaml", "publisher:\n  latenessLimit: soon\n");

            assertFails(ConfigLoader.create().file(yaml), yaml + ": publisher.latenessLimit: expected a duration"
                    + " such as 30s, 2h or PT2H, got \"soon\"")
                    .extracting(e -> ((ConfigException) e).source()).isEqualTo(yaml.toString());
        }

        @Test
        void unknownKeyListsTheKnownKeysOfItsSection() throws IOException {
            Path yaml = file("config.yaml", "publisher:\n  latnessLimit: 3h\n");

            assertFails(ConfigLoader.create().file(yaml), yaml + ": unknown key publisher.latnessLimit"
                    + " (known keys under publisher: latenessLimit, rawEvents, rawEventCapacity)");
        }

        @Test
        void unknownTopLevelKeyListsTheTopLevelKeys() throws IOException {
            Path yaml = file("config.yaml", "dataDri: x\n");

            assertFails(ConfigLoader.create().file(yaml), yaml + ": unknown key dataDri (known keys: dataDir,"
                    + " pluginsDirs, nodeId, publisher, lifecycle, plugins, vetting, supervision, store, http, cognition)");
        }

        @Test
        void typesAreStrict() throws IOException {
            assertFails(ConfigLoader.create().file(file("a.yaml", "publisher:\n  rawEventCapacity: \"1024\"\n")),
                    dir.resolve("a.yaml") + ": publisher.rawEventCapacity: expected a whole number, got \"1024\"");
            assertFails(ConfigLoader.create().file(file("b.yaml", "publisher:\n  rawEvents: \"true\"\n")),
                    dir.resolve("b.yaml") + ": publisher.rawEvents: expected true or false, got \"true\"");
            assertFails(ConfigLoader.create().file(file("c.yaml", "publisher:\n  latenessLimit: 30\n")),
                    dir.resolve("c.yaml") + ": publisher.latenessLimit: expected a duration such as 30s, 2h or PT2H,"
                            + " got 30");
            assertFails(ConfigLoader.create().file(file("d.yaml", "nodeId: 42\n")),
                    dir.resolve("d.yaml") + ": nodeId: expected text, got 42");
            assertFails(ConfigLoader.create().file(file("e.yaml", "pluginsDirs: [a, 7]\n")),
                    dir.resolve("e.yaml") + ": pluginsDirs: expected a list of paths (or one comma-separated string),"
                            + " got 7 as item 2");
            assertFails(ConfigLoader.create().file(file("f.yaml", "publisher: 3h\n")),
                    dir.resolve("f.yaml") + ": publisher: expected a map of its keys (latenessLimit, rawEvents,"
                            + " rawEventCapacity), got \"3h\"");
            assertFails(ConfigLoader.create().file(file("g.yaml", "plugins:\n  example: [a]\n")),
                    dir.resolve("g.yaml") + ": plugins.example: expected a map of the plugin's keys, got a list");
        }

        @Test
        void pluginsDirsMayBeOneCommaSeparatedString() throws IOException {
            GraceConfig config = ConfigLoader.create().file(file("grace.yml", "pluginsDirs: a,b\n")).load();

            assertThat(config.pluginsDirs()).containsExactly(Path.of("a"), Path.of("b"));
        }

        @Test
        void recordCheckNamesTheFileAndTheKey() throws IOException {
            Path yaml = file("config.yaml", "publisher:\n  rawEventCapacity: 1000\n");

            assertFails(ConfigLoader.create().file(yaml),
                    yaml + ": publisher.rawEventCapacity: must be a power of two of at least 1024, got 1000");
        }

        @Test
        void missingFile() {
            Path missing = dir.resolve("missing.yaml");

            assertFails(ConfigLoader.create().file(missing), missing + ": no such file");
        }

        @Test
        void unreadableFile() throws IOException {
            Path directory = Files.createDirectory(dir.resolve("config.yaml"));

            assertFails(ConfigLoader.create().file(directory), directory + ": cannot read the file: Is a directory");
        }

        @Test
        void unsupportedExtension() throws IOException {
            Path toml = file("grace.toml", "dataDir = 'x'\n");

            assertFails(ConfigLoader.create().file(toml),
                    toml + ": unsupported kind of file, expected a .yaml, .yml or .json file");
        }

        @Test
        void malformedYamlGivesLineAndColumn() throws IOException {
            Path yaml = file("config.yaml", "publisher:\n  latenessLimit: 2h\n rawEvents: true\n");

            assertFails(ConfigLoader.create().file(yaml), yaml + ": malformed YAML at line 3, column 2:"
                    + " expected <block end>, but found '<block mapping start>'");
        }

        @Test
        void malformedJsonGivesLineAndColumn() throws IOException {
            Path json = file("config.json", "{\"dataDir\": \"x\",\n}");

            assertFails(ConfigLoader.create().file(json), json + ": malformed JSON at line 2, column 1:"
                    + " Unexpected character ('}' (code 125)): was expecting double-quote to start field name");
        }

        @Test
        void duplicateKeyIsMalformed() throws IOException {
            Path yaml = file("config.yaml", "dataDir: a\ndataDir: b\n");

            assertThatThrownBy(ConfigLoader.create().file(yaml)::load)
                    .hasMessageStartingWith(yaml + ": malformed YAML at line 2")
                    .hasMessageEndingWith("Duplicate field 'dataDir'");
        }

        @Test
        void topLevelMustBeAMap() throws IOException {
            Path yaml = file("config.yaml", "- a\n- b\n");

            assertFails(ConfigLoader.create().file(yaml), yaml + ": expected a map of keys at the top level, got a list");
        }

        @Test
        void pluginIdMustBeAPossibleId() throws IOException {
            Path yaml = file("config.yaml", "plugins:\n  My_Plugin: {a: 1}\n");

            assertFails(ConfigLoader.create().file(yaml),
                    yaml + ": plugins.My_Plugin: \"My_Plugin\" is not a plugin id (ids match [a-z][a-z0-9-]{0,63})");
        }

        @Test
        void messagesAreOneLine() throws IOException {
            Path yaml = file("config.yaml", "nodeId: \"a\\nb\"\npublisher: {latenessLimit: \"x\\ny\"}\n");

            assertThatThrownBy(ConfigLoader.create().file(yaml)::load).message().doesNotContain("\n");
        }
    }
}

#!/usr/bin/env bash
# The archetype's integration test, after archetype:integration-test generated the project and ran
# its `mvn verify`: `grace plugins verify` accepts the jar, and `grace run --plugins-dir` loads the
# plugin and runs its scheduled measurement.
#   run-generated-plugin.sh GRACE_JAR PROJECT_DIR WORK_DIR
set -euo pipefail
grace_jar="$1"; project="$2"; work="$3"

jar="$project/target/queue-watch-plugin-1.0.0.jar"
[[ -f "$jar" ]] || { echo "archetype IT: the generated project built no $jar" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work/plugins"
cp "$jar" "$work/plugins/"

echo "archetype IT: grace plugins verify $jar"
java -jar "$grace_jar" plugins verify "$jar" | tee "$work/verify.log"

echo "archetype IT: grace run --plugins-dir $work/plugins --for 3s"
java -jar "$grace_jar" run --plugins-dir "$work/plugins" --data-dir "$work/data" --no-http --for 3s \
  --set plugins.queue-watch.interval=1s > "$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
fail() { echo "archetype IT: $1 (grace run's output: $work/run.log)" >&2; cat "$work/run.log" >&2; exit 1; }
grep -q "plugin queue-watch (queues 1.0.0) is running" "$work/run.log" || fail "the plugin did not run"
# The summary's KPI table: domain, KPI, unit, count. At 1 s intervals for 3 s: a measurement at start
# and at least one scheduled after it.
grep -Eq '^queues +heap_used +BYTES +([2-9]|[1-9][0-9]+) ' "$work/run.log" \
  || fail "the summary shows fewer than 2 scheduled heap_used measurements"
grep -Eq '^queues +heap_used_share +RATIO +([2-9]|[1-9][0-9]+) ' "$work/run.log" \
  || fail "the summary shows fewer than 2 scheduled heap_used_share measurements"
echo "archetype IT: the generated plugin was verified, loaded and measured"

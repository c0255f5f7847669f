#!/usr/bin/env bash
# Runs the grace command line, building grace-cli/target/grace.jar first when it is missing or
# older than any pom.xml or any file under a module's src/. Works from any directory.
#   ./grace --help            ./grace run --for 30s            GRACE_JAVA_OPTS=-Xmx1g ./grace run
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd -P)"
jar="$root/grace-cli/target/grace.jar"

stale() {
  [[ ! -f "$jar" ]] && return 0
  # Anything newer than the jar: a pom.xml anywhere, or any file under */src (target/ and .git/ skipped).
  [[ -n "$(find "$root" \( -name .git -o -name target -o -name node_modules \) -prune -o \
            -type f \( -name pom.xml -o -path '*/src/*' \) -newer "$jar" -print -quit)" ]]
}

if stale; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "grace: Maven (mvn) is needed to build $jar; install Maven 3.8+ and JDK 17+" >&2
    exit 1
  fi
  echo "grace: building grace-cli/target/grace.jar (first run, or sources changed) ..." >&2
  started=$SECONDS
  # Not offline: a fresh machine downloads its dependencies here. Maven's output goes to stderr so
  # that stdout carries only grace's own output.
  if ! (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package -pl grace-cli -am) >&2; then
    echo "grace: the build failed (see above); fix it or run: mvn -B package -pl grace-cli -am" >&2
    exit 1
  fi
  echo "grace: built in $((SECONDS - started))s" >&2
fi

java_cmd="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_cmd="$JAVA_HOME/bin/java"
fi
# GRACE_JAVA_OPTS is split on spaces on purpose: it holds several JVM options.
# shellcheck disable=SC2086
exec "$java_cmd" ${GRACE_JAVA_OPTS:-} -jar "$jar" "$@"

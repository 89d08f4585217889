# Shared by the ops/ scripts that build before they run; sourced, not run. Needs NECTAR_ROOT (the
# repository root).
#
# nectar_mvn ARGS...      Maven in batch mode with no colour codes in what it prints (Debian's Maven 3.8
#                         writes ESC[0m resets even with -B; jansi.noreset stops them).
# nectar_lock / nectar_unlock
#                         one build of this checkout at a time: builds of different modules share the
#                         target/ directories of index and nlu, and two at once corrupt each other's class
#                         files ("bad class file ... NoSuchFileException"). A second caller waits (flock).
# nectar_gateway_jar TAG  builds gateway/target/nectar-gateway.jar when it is missing or older than the
#                         sources; a caller that waited for another build finds the jar fresh and skips
#                         its own. Sets JAR.
# NECTAR_PRIORITY_OPTS    JVM options that let the OS see thread priorities, for every gateway these scripts
#                         start unless NECTAR_JAVA_OPTS is set: inference and search threads at nice 19 give a
#                         server's event loops the core first, and their normal-priority relief threads take
#                         any work that waited over 100 ms (docs/decisions.md 113 and 126). A JVM not run as
#                         root warns that priority changes may be ignored: lowering one, all Nectar does,
#                         needs no privilege.

NECTAR_PRIORITY_OPTS="-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19"

nectar_mvn() {
  MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B --no-transfer-progress -Dstyle.color=never "$@"
}

nectar_lock() {
  exec 9>"$NECTAR_ROOT/.build.lock"
  command -v flock >/dev/null 2>&1 || return 0
  if ! flock -n 9; then
    echo "${1:-nectar}: another build of this checkout is running; waiting for it to finish..." >&2
    flock 9
  fi
}

nectar_unlock() {
  exec 9>&-
}

# nectar_stale JAR SOURCE...: the jar is missing or a source is newer
nectar_stale() {
  local jar="$1"
  shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" -print -quit 2>/dev/null)" ]
}

nectar_gateway_jar() {
  local tag="$1"
  local sources=("$NECTAR_ROOT/pom.xml")
  local m
  for m in index nlu gateway; do sources+=("$NECTAR_ROOT/$m/pom.xml" "$NECTAR_ROOT/$m/src/main"); done
  JAR="$NECTAR_ROOT/gateway/target/nectar-gateway.jar"
  nectar_stale "$JAR" "${sources[@]}" || return 0
  nectar_lock "$tag"
  if nectar_stale "$JAR" "${sources[@]}"; then
    echo "$tag: building the gateway (the first build downloads dependencies)..." >&2
    if ! nectar_mvn -q -f "$NECTAR_ROOT/pom.xml" -DskipTests -pl gateway -am package >&2; then
      nectar_unlock
      echo "$tag: the build failed (see above)" >&2
      return 1
    fi
  fi
  nectar_unlock
}

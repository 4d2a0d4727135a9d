# Sourced by the bench scripts: selects the JDK, builds the benchmark jar, and runs a class from it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/select-jdk.sh"
meridian_select_jdk
(cd "$ROOT" && ./mvnw -B -q -DskipTests install)
BENCH_JAR="$ROOT/meridian-bench/target/meridian-bench.jar"
BENCH_FLAGS=(--enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g)
[ "$MERIDIAN_JDK_MAJOR" -ge 24 ] && BENCH_FLAGS+=(--sun-misc-unsafe-memory-access=allow)

# bench_run MAIN_CLASS ARGS...
bench_run() {
    local main="$1"
    shift
    exec "$JAVA_HOME/bin/java" "${BENCH_FLAGS[@]}" -cp "$BENCH_JAR" "$main" "$@"
}

# bench_need_nginx: installs Debian's nginx for the proxy baseline when it is missing and this runs as root.
bench_need_nginx() {
    if [ ! -x /usr/sbin/nginx ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing nginx from Debian's packages for the proxy baseline"
        apt-get install -y -qq nginx >/dev/null
    fi
}

# bench_need_wrk: installs Debian's wrk when the proxy benchmark is asked to use it (-Dmeridian.bench.loadGenerator=wrk)
# and it is missing and this runs as root.
bench_need_wrk() {
    case "${JAVA_TOOL_OPTIONS:-}" in *loadGenerator=wrk*) ;; *) return 0 ;; esac
    if [ ! -x /usr/bin/wrk ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing wrk from Debian's packages for the load generator"
        apt-get install -y -qq wrk >/dev/null
    fi
}

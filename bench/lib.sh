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

# bench_need_package BINARY PACKAGE PURPOSE: installs Debian's PACKAGE when BINARY is missing and this runs as root.
bench_need_package() {
    if [ ! -x "$1" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing $2 from Debian's packages $3"
        apt-get install -y -qq "$2" >/dev/null
    fi
}

# bench_need_nginx: nginx for the proxy baseline.
bench_need_nginx() {
    bench_need_package /usr/sbin/nginx nginx "for the proxy baseline"
}

# bench_need_wrk: wrk, when the proxy benchmark is asked to use it (-Dmeridian.bench.loadGenerator=wrk).
bench_need_wrk() {
    case "${JAVA_TOOL_OPTIONS:-}" in *loadGenerator=wrk*) ;; *) return 0 ;; esac
    bench_need_package /usr/bin/wrk wrk "for the load generator"
}

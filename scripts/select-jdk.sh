# Sourced by ./meridian and .ci/run: exports JAVA_HOME pointing at the newest JDK >= 21 on this machine.
# Order: $JAVA_HOME if it is new enough, then the newest under /usr/lib/jvm, then `java` on the PATH.

meridian_jdk_major() {
    local release="$1/release" version
    [ -x "$1/bin/java" ] || return 1
    if [ -f "$release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    else
        version=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
    fi
    [ -n "$version" ] && echo "$version"
}

meridian_select_jdk() {
    local best="" best_major=0 candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
        [ -n "$candidate" ] && [ -d "$candidate" ] || continue
        major=$(meridian_jdk_major "$candidate") || continue
        if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    if [ -z "$best" ]; then
        echo "meridian: no JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/*, java on PATH)." >&2
        echo "meridian: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
        return 1
    fi
    export JAVA_HOME="$best"
    export PATH="$JAVA_HOME/bin:$PATH"
    MERIDIAN_JDK_MAJOR="$best_major"
    # Netty and Armeria still use sun.misc.Unsafe; JDK 24+ warns on every start unless it is allowed explicitly.
    if [ "$best_major" -ge 24 ]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
    fi
}

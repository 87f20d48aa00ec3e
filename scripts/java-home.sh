# Sourced by ./jk8s and scripts/*: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if new enough, Temurin 25, then any JDK >= 21 under /usr/lib/jvm.
jk8s_java_major() { # prints the major version of the JDK at $1, or 0
  local rel="$1/release" v
  [ -r "$rel" ] || { echo 0; return; }
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  echo "${v:-0}"
}
jk8s_pick_java() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    if [ "$(jk8s_java_major "$c")" -ge 21 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "jk8s: needs a JDK 21 or newer (set JAVA_HOME); none found under /usr/lib/jvm" >&2
  return 1
}
jk8s_pick_java

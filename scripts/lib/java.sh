# shellcheck shell=bash
# Sourced by every script: finds a JDK 25 and exports JAVA_HOME and PATH.
# The machine's default java may be an older JDK, so we look for one whose `release` file says
# JAVA_VERSION="25...": first an existing JAVA_HOME, then /usr/lib/jvm/*, then the siblings of the
# default java's home. Set JYN_JAVA_VERSION to look for another feature release.

jyn_java_is_wanted() {
  # $1: a candidate JDK home. True when it holds bin/java and a release file of the wanted version.
  local home="$1" wanted="${JYN_JAVA_VERSION:-25}"
  [[ -n "$home" && -x "$home/bin/java" && -f "$home/release" ]] || return 1
  grep -Eq "^JAVA_VERSION=\"${wanted}([.\"+-])" "$home/release"
}

jyn_find_java() {
  local candidate default_java default_home
  if jyn_java_is_wanted "${JAVA_HOME:-}"; then
    printf '%s\n' "$JAVA_HOME"
    return 0
  fi
  for candidate in /usr/lib/jvm/*; do
    if jyn_java_is_wanted "$candidate"; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  default_java="$(command -v java 2>/dev/null || true)"
  if [[ -n "$default_java" ]]; then
    default_home="$(dirname "$(dirname "$(readlink -f "$default_java")")")"
    for candidate in "$(dirname "$default_home")"/*; do
      if jyn_java_is_wanted "$candidate"; then
        printf '%s\n' "$candidate"
        return 0
      fi
    done
  fi
  return 1
}

jyn_java_home_before="${JAVA_HOME:-}"
if ! JAVA_HOME="$(jyn_find_java)"; then
  echo "error: no JDK ${JYN_JAVA_VERSION:-25} found (looked at JAVA_HOME='${jyn_java_home_before}', /usr/lib/jvm/*" \
       "and beside the default java); install a JDK ${JYN_JAVA_VERSION:-25} or point JAVA_HOME at one" >&2
  # Sourced: return rather than kill the caller's interactive shell; scripts run with set -e stop here.
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME
case ":$PATH:" in
  *":$JAVA_HOME/bin:"*) ;;
  *) export PATH="$JAVA_HOME/bin:$PATH" ;;
esac

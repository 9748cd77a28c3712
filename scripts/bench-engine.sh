#!/usr/bin/env bash
# Jynamo's CPU engine beside llama.cpp on the same GGUF files, in one run.
#
# For each weight type (f16, q8_0, q4_0) of a Llama-3.2-1B-shaped random model and each thread count
# (1, 2) it runs `jynamo generate` (512-token prompt, 128 greedy tokens) and then llama.cpp's bench on
# the same file, prompt and threads, back to back so noise from neighbours hits both. It also measures
# memory read bandwidth, which bounds decode speed, and prints one Markdown table; the same rows go to
# .jynamo/bench-results/engine-<date>.json.
#
# Usage: scripts/bench-engine.sh [--quick] [--types f16,q8_0,q4_0] [--threads 1,2]
#                                [--prompt-tokens 512] [--gen-tokens 128]
#   --quick  a small model (dim 512, 4 layers) and 128/32 tokens: checks the pipeline in a minute.
# Environment: JYN_CMD overrides the launcher (default ./jynamo).
set -euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPTS_DIR/.." && pwd)"
# shellcheck source=lib/java.sh
source "$SCRIPTS_DIR/lib/java.sh"

die() { echo "bench-engine: error: $*" >&2; exit 1; }
say() { echo "bench-engine: $*" >&2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; }

QUICK=0
TYPES="f16,q8_0,q4_0"
THREADS="1,2"
PROMPT_TOKENS=""
GEN_TOKENS=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --types) TYPES="${2:?--types needs a list}"; shift ;;
    --threads) THREADS="${2:?--threads needs a list}"; shift ;;
    --prompt-tokens) PROMPT_TOKENS="${2:?--prompt-tokens needs a number}"; shift ;;
    --gen-tokens) GEN_TOKENS="${2:?--gen-tokens needs a number}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

if [[ "$QUICK" -eq 1 ]]; then
  SHAPE=(--arch llama3 --dim 512 --layers 4 --heads 8 --kv-heads 4 --ffn 1536 --tied)
  MODEL_DIR="$REPO_ROOT/.jynamo/bench-models/llama-quick"
  PROMPT_TOKENS="${PROMPT_TOKENS:-128}"
  GEN_TOKENS="${GEN_TOKENS:-32}"
else
  SHAPE=(--arch llama3 --dim 2048 --layers 16 --heads 32 --kv-heads 8 --ffn 8192 --tied)
  MODEL_DIR="$REPO_ROOT/.jynamo/bench-models/llama-1b"
  PROMPT_TOKENS="${PROMPT_TOKENS:-512}"
  GEN_TOKENS="${GEN_TOKENS:-128}"
fi
[[ "$PROMPT_TOKENS" =~ ^[1-9][0-9]*$ ]] || die "--prompt-tokens must be a positive number, got '$PROMPT_TOKENS'"
[[ "$GEN_TOKENS" =~ ^[1-9][0-9]*$ && "$GEN_TOKENS" -ge 2 ]] || die "--gen-tokens must be a number >= 2, got '$GEN_TOKENS'"
IFS=',' read -r -a TYPE_LIST <<<"$TYPES"
IFS=',' read -r -a THREAD_LIST <<<"$THREADS"
for t in "${TYPE_LIST[@]}"; do [[ "$t" =~ ^(f16|q8_0|q4_0)$ ]] || die "unknown type '$t' (f16, q8_0, q4_0)"; done
for t in "${THREAD_LIST[@]}"; do [[ "$t" =~ ^[1-9][0-9]*$ ]] || die "bad thread count '$t'"; done

JYNAMO="${JYN_CMD:-$REPO_ROOT/jynamo}"
[[ -x "$JYNAMO" ]] || die "the jynamo launcher is missing or not executable: $JYNAMO"
command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js 20+ runs llama.cpp's side)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (Debian package 'time'); it measures peak RSS"

cd "$REPO_ROOT"
"$SCRIPTS_DIR/setup-test-deps.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jynamo-bench.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

# The launcher builds on first use; do that now so no build lands inside a timed or RSS-measured run.
if ! "$JYNAMO" --help >"$WORK/launcher.out" 2>&1; then
  tail -n 20 "$WORK/launcher.out" >&2
  die "'$JYNAMO --help' failed (the launcher could not build or start Jynamo)"
fi

# --- models, made once per shape --------------------------------------------------------------------
ensure_models() {
  local missing=() t shape_stamp="$MODEL_DIR/.shape"
  if [[ ! -f "$shape_stamp" || "$(cat "$shape_stamp")" != "${SHAPE[*]}" ]]; then
    rm -f "$MODEL_DIR"/model-*.gguf
  fi
  for t in "${TYPE_LIST[@]}"; do
    [[ -s "$MODEL_DIR/model-$t.gguf" ]] || missing+=("$t")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local types_csv
  types_csv="$(IFS=,; echo "${missing[*]}")"
  say "making test models ($types_csv) in ${MODEL_DIR#"$REPO_ROOT"/}"
  mkdir -p "$MODEL_DIR"
  if ! "$JYNAMO" dev make-model "${SHAPE[@]}" --types "$types_csv" --out "$MODEL_DIR" >"$WORK/make-model.log" 2>&1; then
    tail -n 20 "$WORK/make-model.log" >&2
    die "jynamo dev make-model failed"
  fi
  for t in "${missing[@]}"; do
    [[ -s "$MODEL_DIR/model-$t.gguf" ]] || die "make-model did not write $MODEL_DIR/model-$t.gguf"
  done
  printf '%s\n' "${SHAPE[*]}" >"$shape_stamp"
}
ensure_models

# --- memory bandwidth ---------------------------------------------------------------------------------
testkit_classpath() {
  # MemoryBandwidth lives in jynamo-testkit; it needs the engine and api jars beside it.
  local testkit engine api
  testkit="$(ls "$REPO_ROOT"/jynamo-testkit/target/jynamo-testkit-*.jar 2>/dev/null | grep -Ev -- '-(sources|javadoc|tests)\.jar$' | head -n 1 || true)"
  engine="$(ls "$REPO_ROOT"/jynamo-engine/target/jynamo-engine-*.jar 2>/dev/null | grep -Ev -- '-(sources|javadoc|tests)\.jar$' | head -n 1 || true)"
  api="$(ls "$REPO_ROOT"/jynamo-api/target/jynamo-api-*.jar 2>/dev/null | grep -Ev -- '-(sources|javadoc|tests)\.jar$' | head -n 1 || true)"
  [[ -n "$testkit" && -n "$engine" && -n "$api" ]] || return 1
  printf '%s:%s:%s\n' "$testkit" "$engine" "$api"
}

measure_bandwidth() {
  # Prefer the launcher's `dev membw`; fall back to the testkit jar when the launcher lacks it.
  local threads="$1" out="$WORK/membw-$1.out" cp
  if "$JYNAMO" dev membw --threads "$threads" >"$out" 2>"$WORK/membw-$threads.err" && grep -q '"read_gbps"' "$out"; then
    grep '"read_gbps"' "$out" | tail -n 1
    return 0
  fi
  cp="$(testkit_classpath)" || die "cannot measure bandwidth: 'jynamo dev membw' failed ($(tail -n 1 "$WORK/membw-$threads.err")) and no testkit jar is built"
  if ! java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$cp" \
      io.jynamo.testkit.MemoryBandwidth --threads "$threads" >"$out" 2>"$WORK/membw-$threads.err"; then
    cat "$WORK/membw-$threads.err" >&2
    die "MemoryBandwidth failed for $threads thread(s)"
  fi
  grep '"read_gbps"' "$out" | tail -n 1
}

: >"$WORK/membw.jsonl"
for t in "${THREAD_LIST[@]}"; do
  say "measuring memory bandwidth, $t thread(s)"
  line="$(measure_bandwidth "$t")" || die "no bandwidth figure for $t thread(s): $(cat "$WORK/membw-$t.out" "$WORK/membw-$t.err")"
  printf '%s\n' "$line" >>"$WORK/membw.jsonl"
done

# --- the prompt: the same seeded random ids for both engines --------------------------------------------
FIRST_MODEL="$MODEL_DIR/model-${TYPE_LIST[0]}.gguf"
node "$SCRIPTS_DIR/lib/gguf-info.mjs" "$FIRST_MODEL" >"$WORK/first.info" || die "cannot read $FIRST_MODEL"
PROMPT_IDS="$(node -e '
  const info = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const count = Number(process.argv[2]), vocab = info.vocab_size;
  if (!vocab) { console.error("no vocabulary size in the GGUF"); process.exit(1); }
  let s = 42 >>> 0;   // mulberry32, seeded: the same prompt on every run
  const next = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const low = Math.min(1000, Math.floor(vocab / 4));   // skip control and byte tokens
  console.log(Array.from({ length: count }, () => low + Math.floor(next() * (vocab - low))).join(","));
' "$WORK/first.info" "$PROMPT_TOKENS")" || die "cannot make the prompt ids"

# --- the runs, interleaved: jynamo then llama.cpp per configuration -----------------------------------
run_side() {
  # $1 prefix, $2 side (jyn|llama), rest: the command. Never fails the script; the report shows errors.
  local prefix="$1" side="$2"
  shift 2
  local rc=0
  /usr/bin/time -v -o "$prefix.$side.time" "$@" >"$prefix.$side.out" 2>"$prefix.$side.err" || rc=$?
  printf '%s\n' "$rc" >"$prefix.$side.rc"
  [[ "$rc" -eq 0 ]] || say "  $side exited with $rc: $(tail -n 1 "$prefix.$side.err")"
}

: >"$WORK/runs.tsv"
for type in "${TYPE_LIST[@]}"; do
  model="$MODEL_DIR/model-$type.gguf"
  for t in "${THREAD_LIST[@]}"; do
    prefix="$WORK/run-$type-t$t"
    node "$SCRIPTS_DIR/lib/gguf-info.mjs" "$model" >"$prefix.info" || die "cannot read $model"
    say "$type, $t thread(s): jynamo"
    run_side "$prefix" jyn "$JYNAMO" generate --model "$model" --prompt-ids "$PROMPT_IDS" \
      --max-tokens "$GEN_TOKENS" --threads "$t"
    say "$type, $t thread(s): llama.cpp"
    run_side "$prefix" llama node "$SCRIPTS_DIR/oracle/llama-oracle.mjs" --bench --model "$model" \
      --threads "$t" --prompt-ids "$PROMPT_IDS" --gen-tokens "$GEN_TOKENS"
    printf '%s\t%s\t%s\t%s\n' "$type" "$t" "$model" "$prefix" >>"$WORK/runs.tsv"
  done
done

# --- report -----------------------------------------------------------------------------------------------
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$REPO_ROOT/.jynamo/bench-results/engine-$STAMP.json"
node -e '
  const [quick, shape, prompt, gen, java] = process.argv.slice(1);
  const os = require("os");
  console.log(JSON.stringify({ benchmark: "engine", date: new Date().toISOString(), quick: quick === "1",
    shape, prompt_tokens: Number(prompt), gen_tokens: Number(gen),
    host: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, mem_gb: os.totalmem() / 1e9,
            java, node: process.version } }));
' "$QUICK" "${SHAPE[*]}" "$PROMPT_TOKENS" "$GEN_TOKENS" "$(java -version 2>&1 | head -n 1)" >"$WORK/meta.json"

report_rc=0
node "$SCRIPTS_DIR/lib/bench-report.mjs" --runs "$WORK/runs.tsv" --membw "$WORK/membw.jsonl" \
  --meta "$WORK/meta.json" --out "$OUT" || report_rc=$?
say "results: ${OUT#"$REPO_ROOT"/}"
[[ "$report_rc" -eq 0 ]] || die "some runs failed (see the notes under the table)"

#!/usr/bin/env bash
# The serving engine's batching beside llama.cpp's, in one run: aggregate decode tokens/s with 1, 4, 16
# and 64 streams decoding together, on the same GGUF file (Llama-3.2-1B-shaped, Q8_0 by default) and
# the same threads. For each concurrency it runs `jynamo dev bench-serve` and then llama.cpp with as
# many sequences in one context (one token per sequence per llama_decode, as its server with that many
# busy slots does), back to back so noise from neighbours hits both. Prints one Markdown table; the
# rows also go to .jynamo/bench-results/serve-<date>.jsonl.
#
# Usage: scripts/bench-serve.sh [--quick] [--type q8_0] [--threads 2] [--streams 1,4,16,64]
#                               [--prompt-tokens 32] [--gen-tokens 64]
#   --quick  a small model (dim 512, 4 layers): checks the pipeline in a minute or two.
# Environment: JYN_CMD overrides the launcher (default ./jynamo).
set -euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPTS_DIR/.." && pwd)"
# shellcheck source=lib/java.sh
source "$SCRIPTS_DIR/lib/java.sh"

die() { echo "bench-serve: error: $*" >&2; exit 1; }
say() { echo "bench-serve: $*" >&2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; }

QUICK=0 TYPE=q8_0 THREADS=2 STREAMS=1,4,16,64 PROMPT_TOKENS=32 GEN_TOKENS=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --type) TYPE="${2:?--type needs a value}"; shift ;;
    --threads) THREADS="${2:?--threads needs a number}"; shift ;;
    --streams) STREAMS="${2:?--streams needs a list}"; shift ;;
    --prompt-tokens) PROMPT_TOKENS="${2:?}"; shift ;;
    --gen-tokens) GEN_TOKENS="${2:?}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
[[ "$TYPE" =~ ^(f16|q8_0|q4_0)$ ]] || die "unknown type '$TYPE' (f16, q8_0, q4_0)"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "bad thread count '$THREADS'"
[[ "$PROMPT_TOKENS" =~ ^[1-9][0-9]*$ ]] || die "--prompt-tokens must be a positive number"
[[ "$GEN_TOKENS" =~ ^[1-9][0-9]*$ && "$GEN_TOKENS" -ge 3 ]] || die "--gen-tokens must be a number >= 3"
IFS=',' read -r -a STREAM_LIST <<<"$STREAMS"
for n in "${STREAM_LIST[@]}"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "bad concurrency '$n'"; done

if [[ "$QUICK" -eq 1 ]]; then
  SHAPE=(--arch llama3 --dim 512 --layers 4 --heads 8 --kv-heads 4 --ffn 1536 --tied)
  MODEL_DIR="$REPO_ROOT/.jynamo/bench-models/llama-quick"
else
  SHAPE=(--arch llama3 --dim 2048 --layers 16 --heads 32 --kv-heads 8 --ffn 8192 --tied)
  MODEL_DIR="$REPO_ROOT/.jynamo/bench-models/llama-1b"
fi
MODEL="$MODEL_DIR/model-$TYPE.gguf"
JYNAMO="${JYN_CMD:-$REPO_ROOT/jynamo}"
[[ -x "$JYNAMO" ]] || die "the jynamo launcher is missing or not executable: $JYNAMO"
command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js 20+ runs llama.cpp's side)"

cd "$REPO_ROOT"
"$SCRIPTS_DIR/setup-test-deps.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/jynamo-bench-serve.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$JYNAMO" --help >"$WORK/launcher.out" 2>&1 || { tail -n 20 "$WORK/launcher.out" >&2; die "the launcher could not build or start Jynamo"; }

if [[ ! -s "$MODEL" || ! -f "$MODEL_DIR/.shape" || "$(cat "$MODEL_DIR/.shape")" != "${SHAPE[*]}" ]]; then
  say "making the test model ${MODEL#"$REPO_ROOT"/}"
  mkdir -p "$MODEL_DIR"
  [[ -f "$MODEL_DIR/.shape" && "$(cat "$MODEL_DIR/.shape")" == "${SHAPE[*]}" ]] || rm -f "$MODEL_DIR"/model-*.gguf
  "$JYNAMO" dev make-model "${SHAPE[@]}" --types "$TYPE" --out "$MODEL_DIR" >"$WORK/make-model.log" 2>&1 \
    || { tail -n 20 "$WORK/make-model.log" >&2; die "jynamo dev make-model failed"; }
  printf '%s\n' "${SHAPE[*]}" >"$MODEL_DIR/.shape"
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$REPO_ROOT/.jynamo/bench-results"
OUT="$REPO_ROOT/.jynamo/bench-results/serve-$STAMP.jsonl"
: >"$OUT"
for n in "${STREAM_LIST[@]}"; do
  say "$n stream(s): jynamo"
  "$JYNAMO" dev bench-serve --model "$MODEL" --streams "$n" --threads "$THREADS" --prompt-tokens "$PROMPT_TOKENS" \
    --max-tokens "$GEN_TOKENS" >"$WORK/jyn-$n.out" 2>"$WORK/jyn-$n.err" \
    || { tail -n 5 "$WORK/jyn-$n.err" >&2; die "jynamo dev bench-serve failed at $n streams"; }
  say "$n stream(s): llama.cpp"
  node "$SCRIPTS_DIR/oracle/llama-oracle.mjs" --bench-batch --model "$MODEL" --threads "$THREADS" --streams "$n" \
    --prompt-tokens "$PROMPT_TOKENS" --gen-tokens "$GEN_TOKENS" >"$WORK/llama-$n.out" 2>"$WORK/llama-$n.err" \
    || { tail -n 5 "$WORK/llama-$n.err" >&2; die "llama.cpp's batched bench failed at $n streams"; }
  node -e '
    const fs = require("fs");
    const last = (f) => JSON.parse(fs.readFileSync(f, "utf8").trim().split("\n").pop());
    const j = last(process.argv[1]), l = last(process.argv[2]);
    console.log(JSON.stringify({ streams: j.streams, jynamo: j, llama: l, type: process.argv[3] }));
  ' "$WORK/jyn-$n.out" "$WORK/llama-$n.out" "$TYPE" >>"$OUT"
done

node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const one = rows.find((r) => r.streams === 1);
  const f = (x, d = 1) => x.toFixed(d);
  console.log("| streams | Jynamo tok/s | llama.cpp tok/s | ratio | Jynamo vs its 1 stream | llama.cpp vs its 1 stream | step overhead |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const j = r.jynamo.decode_tok_s, l = r.llama.decode_tok_s;
    console.log(`| ${r.streams} | ${f(j)} | ${f(l)} | **${f(j / l, 2)}×** | ` +
      (one ? `${f(j / one.jynamo.decode_tok_s, 2)}× | ${f(l / one.llama.decode_tok_s, 2)}× | ` : "| | ") +
      `${f(100 * r.jynamo.overhead, 2)}% |`);
  }
' "$OUT"
say "rows: ${OUT#"$REPO_ROOT"/}"

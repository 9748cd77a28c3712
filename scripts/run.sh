#!/usr/bin/env bash
# The README's "run" command: on a fresh machine, installs what it needs, makes the demo model on first
# use (random weights, real Llama 3 vocabulary: its output is noise) and runs the engine on it.
# Give a model to run your own instead: scripts/run.sh --model /path/model.gguf --prompt-ids 1,2,3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/java.sh
scripts/setup-test-deps.sh
demo="$root/.jynamo/demo"
if [ "$#" -eq 0 ]; then
  if [ ! -f "$demo/model-q8_0.gguf" ]; then
    echo "run: creating the demo model in $demo (random weights: its answers are noise)…" >&2
    ./jynamo dev make-model --family llama3 --dim 512 --layers 4 --heads 8 --kv-heads 4 --ffn 1536 --tied \
      --types q8_0 --out "$demo"
  fi
  set -- --model "$demo/model-q8_0.gguf" --prompt-ids 128000,9906,11,1917,0 --max-tokens 32
fi
exec ./jynamo generate "$@"

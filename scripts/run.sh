#!/usr/bin/env bash
# The README's "run" command: on a fresh machine, installs what it needs, makes the demo model on first
# use (random weights with the real Llama 3 tokenizer and chat template: its answers are noise) and
# serves it with the OpenAI API on port 8000 (frontend and engine in this one process).
#
#   scripts/run.sh                                  # the demo model
#   scripts/run.sh out=/path/model.gguf             # your model: a GGUF file or a Hugging Face directory
#   scripts/run.sh in=text                          # chat with it in the terminal instead
# Every other argument goes to `jynamo run` (see ./jynamo run --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/java.sh
scripts/setup-test-deps.sh
demo="$root/.jynamo/demo"
demo_version="2"   # bump when the demo model's recipe changes
has_model=0
for arg in "$@"; do
  case "$arg" in out=*|--model|--model=*) has_model=1 ;; esac
done
if [ "$has_model" -eq 0 ]; then
  if [ ! -f "$demo/model-q8_0.gguf" ] || [ "$(cat "$demo/.version" 2>/dev/null)" != "$demo_version" ]; then
    echo "run: creating the demo model in $demo (random weights: its answers are noise)…" >&2
    rm -rf "$demo"
    ./jynamo dev make-model --family llama3 --dim 512 --layers 4 --heads 8 --kv-heads 4 --ffn 1536 --tied \
      --types q8_0 --out "$demo"
    echo "$demo_version" >"$demo/.version"
  fi
  set -- out="$demo/model-q8_0.gguf" --served-model-name jynamo-demo "$@"
fi
exec ./jynamo run "$@"

#!/usr/bin/env node
// llama.cpp as Jynamo's reference engine, driven through node-llama-cpp's prebuilt CPU binary.
//
// Oracle mode: feed raw token ids (no BOS, no tokenizer), then decode greedily and report what the
// Java engine must agree with:
//   node scripts/oracle/llama-oracle.mjs --model FILE.gguf --prompt-ids 1,2,3 --max-tokens N [--threads T] [--top 20]
//   -> {"tokens":[...], "gaps":[...], "logitsKind":"logits", "promptLogits":[...], "stepTop":[[[id,logit],...],...]}
//
// Bench mode: llama.cpp's prefill and decode speed on the same file and threads as Jynamo's run:
//   node scripts/oracle/llama-oracle.mjs --bench --model FILE --threads T --prompt-tokens 512 --gen-tokens 128 [--prompt-ids ...]
//   -> {"prefill_tok_s":..., "decode_tok_s":..., "threads":..., ...}
//
// Batched bench mode: N sequences decoding together, one token each per llama_decode (what a server
// with N busy slots does), aggregate decode tokens/s:
//   node scripts/oracle/llama-oracle.mjs --bench-batch --model FILE --threads T --streams N --prompt-tokens 32 --gen-tokens 64
//   -> {"streams":N, "decode_tok_s":..., "decode_tokens":..., ...}
//
// Why these settings: the comparison must isolate the model arithmetic, so sampling is a bare argmax
// (temperature 0, no penalties, no bias), flash attention is off, the KV cache stays f16 (llama.cpp's
// default), the whole prompt goes in one batch, and we always decode exactly N tokens (an EOS does
// not stop us; random-weight models emit it by chance).
//
// The logits are raw: node-llama-cpp's controlledEvaluate hands back the candidates after the
// sampler chain, and at temperature 0 that chain is only llama.cpp's greedy sampler, which picks the
// argmax without touching any logit (src/llama-sampler.cpp, llama_sampler_greedy_apply).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SCRIPT_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(SCRIPT_DIR, "..", "..");
const SEED = 42;

function fail(message) {
    process.stderr.write(`llama-oracle: error: ${message}\n`);
    process.exit(2);
}

/** Writes one JSON line and waits until it is flushed: a pipe drains asynchronously, and we exit hard. */
function emit(object) {
    return new Promise((resolve, reject) =>
        process.stdout.write(JSON.stringify(object) + "\n", (err) => (err ? reject(err) : resolve())));
}

function parseArgs(argv) {
    const flags = new Set(["--bench", "--bench-batch", "--help"]);
    const opts = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--")) fail(`unexpected argument '${arg}'`);
        if (flags.has(arg)) {
            opts[arg.slice(2)] = true;
            continue;
        }
        if (i + 1 >= argv.length) fail(`${arg} needs a value`);
        opts[arg.slice(2)] = argv[++i];
    }
    return opts;
}

function positiveInt(opts, name, fallback) {
    const raw = opts[name];
    if (raw === undefined) {
        if (fallback === undefined) fail(`--${name} is required`);
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) fail(`--${name} must be a positive integer, got '${raw}'`);
    return value;
}

function parseIds(text) {
    const ids = text.split(",").filter((s) => s.trim() !== "").map((s) => Number(s.trim()));
    ids.forEach((id, i) => {
        if (!Number.isInteger(id) || id < 0) fail(`--prompt-ids: item ${i} ('${text.split(",")[i]}') is not a token id`);
    });
    if (ids.length === 0) fail("--prompt-ids is empty");
    return ids;
}

const USAGE = `usage:
  llama-oracle.mjs --model FILE.gguf --prompt-ids 1,2,3 --max-tokens N [--threads T] [--top K]
  llama-oracle.mjs --bench --model FILE.gguf --threads T [--prompt-tokens 512] [--gen-tokens 128] [--prompt-ids ...]
  llama-oracle.mjs --bench-batch --model FILE.gguf --threads T --streams N [--prompt-tokens 32] [--gen-tokens 64]
options: --deps DIR (default: $JYN_DEPS_DIR or <repo>/.jynamo/deps, filled by scripts/setup-test-deps.sh)`;

async function loadNodeLlamaCpp(depsDir) {
    const entry = path.join(depsDir, "node_modules", "node-llama-cpp", "dist", "index.js");
    if (!fs.existsSync(entry)) fail(`node-llama-cpp is not installed at ${entry}; run scripts/setup-test-deps.sh`);
    return import(pathToFileURL(entry).href);
}

async function openModel(lib, modelPath, threads) {
    if (!fs.existsSync(modelPath)) fail(`model file not found: ${modelPath}`);
    // llama.cpp writes its own chatter through this logger; keep stdout for our JSON only.
    const llama = await lib.getLlama({
        build: "never", gpu: false, usePrebuiltBinaries: true, skipDownload: true, progressLogs: false,
        maxThreads: threads, logLevel: lib.LlamaLogLevel.error,
        logger: (level, message) => process.stderr.write(`llama.cpp[${level}]: ${message}\n`),
    });
    const model = await llama.loadModel({ modelPath, gpuLayers: 0, defaultContextFlashAttention: false });
    return { llama, model };
}

async function openContext(model, tokensNeeded, batchSize, threads) {
    // node-llama-cpp keeps one cell free (contextSize - 1 usable); llama.cpp pads it up to 256.
    // One batch takes the whole prompt, and prompt and generation use the same thread count.
    const context = await model.createContext({
        contextSize: tokensNeeded + 1, batchSize, sequences: 1, flashAttention: false,
        threads: { ideal: threads, min: threads }, failedCreationRemedy: false,
    });
    if (context.flashAttention !== false) fail("could not switch flash attention off");
    return context;
}

const GREEDY = { temperature: 0, seed: SEED };

/** Evaluates `tokens` and returns what llama.cpp says about the position after the last one. */
async function evaluateAndSample(sequence, tokens, logits) {
    const last = tokens.length - 1;
    const input = tokens.map((t, i) => (i === last ? [t, { generateNext: { token: true, logits, options: GREEDY } }] : t));
    const out = await sequence.controlledEvaluate(input);
    const next = out[last]?.next;
    if (next?.token == null || (logits && next.logits == null)) fail("llama.cpp returned no token or logits for the last position");
    return next;
}

/** Rows of token_embd: the ids the model can embed (tokenizer arrays may be missing or padded). */
function vocabSizeOf(model) {
    const tensors = model.fileInfo.fullTensorInfo ?? model.fileInfo.tensorInfo ?? [];
    const embd = tensors.find((t) => t.name === "token_embd.weight");
    if (!embd || embd.dimensions.length < 2) fail(`no token_embd.weight tensor in ${model.filename}`);
    return Number(embd.dimensions[1]);
}

function checkIds(ids, vocabSize, what) {
    ids.forEach((id, i) => {
        if (id >= vocabSize) fail(`${what}: token id ${id} at position ${i} is outside the vocabulary (size ${vocabSize})`);
    });
}

async function runOracle(lib, opts) {
    const promptIds = parseIds(opts["prompt-ids"] ?? fail("--prompt-ids is required"));
    const maxTokens = positiveInt(opts, "max-tokens");
    const threads = positiveInt(opts, "threads", 1);
    const top = positiveInt(opts, "top", 20);
    const { model } = await openModel(lib, opts.model, threads);
    checkIds(promptIds, vocabSizeOf(model), "--prompt-ids");
    const sequence = (await openContext(model, promptIds.length + maxTokens, promptIds.length, threads)).getSequence();

    // --chunk N feeds the prompt N tokens per batch (1 = token by token), to see how much llama.cpp's own
    // logits move with the batch shape: the floor of any tolerance against it.
    const chunk = opts.chunk === undefined ? promptIds.length : positiveInt(opts, "chunk");
    let fed = 0;
    while (promptIds.length - fed > chunk) {
        await sequence.controlledEvaluate(promptIds.slice(fed, fed + chunk));
        fed += chunk;
    }
    const first = await evaluateAndSample(sequence, promptIds.slice(fed), true);
    const promptLogits = new Array(first.logits.size);
    for (const [id, logit] of first.logits) promptLogits[id] = logit;
    if (promptLogits.some((v) => v === undefined)) fail("llama.cpp's logits do not cover the whole vocabulary");

    const tokens = [], gaps = [], stepTop = [];
    const record = (next) => {
        const best = [...next.logits.entries()].slice(0, Math.max(top, 2));
        if (best.length < 2) fail("llama.cpp returned fewer than two candidate logits");
        // On an exact tie the sort may list the other token first; the logit must still be the top one.
        if (next.logits.get(next.token) !== best[0][1]) fail(`greedy token ${next.token} is not the top logit ${best[0][0]}`);
        tokens.push(next.token);
        gaps.push(best[0][1] - best[1][1]);
        stepTop.push(best.slice(0, top));
    };
    record(first);
    const topOnly = { filter: { includeTop: Math.max(top, 2) } };
    while (tokens.length < maxTokens) record(await evaluateAndSample(sequence, [tokens.at(-1)], topOnly));

    await emit({
        model: path.resolve(opts.model), promptTokens: promptIds.length, threads, seed: SEED,
        logitsKind: "logits", tokens, gaps, promptLogits, stepTop,
    });
}

/** A seeded generator (mulberry32), so a bench prompt is the same on every run. */
function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function randomPromptIds(count, vocabSize, seed = SEED) {
    // Skip the low ids, where vocabularies keep control and byte tokens.
    const low = Math.min(1000, Math.floor(vocabSize / 4));
    const next = seededRandom(seed);
    return Array.from({ length: count }, () => low + Math.floor(next() * (vocabSize - low)));
}

/**
 * Drives llama.cpp through node-llama-cpp's addon directly (its internals in the pinned 3.22.1), so the
 * timings are llama.cpp's own: the public evaluate() path adds locks, a token meter and checkpoint
 * logic, about half a millisecond a token here, which Jynamo's engine-internal timings do not pay.
 */
function rawDriver(context, model, threads) {
    const ctx = context._ctx;
    const AddonSampler = model._llama?._bindings?.AddonSampler;
    if (typeof ctx?.decodeBatch !== "function" || typeof AddonSampler !== "function")
        fail("node-llama-cpp's internals are not the 3.22.1 ones this bench expects; run scripts/setup-test-deps.sh");
    const sampler = new AddonSampler(model._model);
    sampler.applyConfig({ temperature: 0, seed: SEED });
    ctx.setThreads(threads);
    const seq = 0;
    return {
        /** Evaluates `tokens` at positions from `start` in one batch; returns the greedy next token. */
        async step(tokens, start) {
            ctx.initBatch(tokens.length);
            const [logitIndex] = ctx.addToBatch(seq, start, Uint32Array.from(tokens), Uint32Array.of(tokens.length - 1));
            await ctx.decodeBatch();
            const token = await ctx.sampleToken(logitIndex, sampler);
            if (token < 0) fail("llama.cpp sampled no token");
            return token;
        },
        clear() {
            ctx.disposeSequence(seq);
        },
        threads: () => ctx.getThreads(),
    };
}

async function runBench(lib, opts) {
    const threads = positiveInt(opts, "threads");
    const genTokens = positiveInt(opts, "gen-tokens", 128);
    if (genTokens < 2) fail("--gen-tokens must be at least 2 (the first decode step is not timed)");
    const loadStart = performance.now();
    const { model } = await openModel(lib, opts.model, threads);
    const loadS = (performance.now() - loadStart) / 1000;
    const vocabSize = vocabSizeOf(model);
    const promptIds = opts["prompt-ids"]
        ? parseIds(opts["prompt-ids"])
        : randomPromptIds(positiveInt(opts, "prompt-tokens", 512), vocabSize);
    checkIds(promptIds, vocabSize, "prompt");
    const context = await openContext(model, promptIds.length + genTokens, promptIds.length, threads);
    const llm = rawDriver(context, model, threads);

    // Warm-up: one full prefill (pages in the weights, sizes llama.cpp's compute buffers), then forget it.
    await llm.step(promptIds, 0);
    llm.clear();

    const prefillStart = performance.now();
    let token = await llm.step(promptIds, 0);
    const prefillS = (performance.now() - prefillStart) / 1000;

    // Decode genTokens steps; the first (it sizes the single-token graph) is not timed.
    let pos = promptIds.length;
    token = await llm.step([token], pos++);
    const decodeStart = performance.now();
    for (let i = 1; i < genTokens; i++) token = await llm.step([token], pos++);
    const decodeS = (performance.now() - decodeStart) / 1000;

    await emit({
        prefill_tok_s: promptIds.length / prefillS,
        decode_tok_s: (genTokens - 1) / decodeS,
        threads: llm.threads(),
        prompt_tokens: promptIds.length,
        decode_tokens: genTokens - 1,
        load_s: loadS,
        engine: "llama.cpp (node-llama-cpp 3.22.1, CPU)",
    });
}

/**
 * N sequences decode together, one token each per llama_decode, as llama.cpp's server does with N
 * busy slots (and its batched-bench). Prompts are prefilled one sequence at a time, untimed; the
 * first batched decode step (it sizes the graph) is untimed too.
 */
async function runBatchBench(lib, opts) {
    const threads = positiveInt(opts, "threads");
    const streams = positiveInt(opts, "streams");
    const promptTokens = positiveInt(opts, "prompt-tokens", 32);
    const genTokens = positiveInt(opts, "gen-tokens", 64);
    if (genTokens < 3) fail("--gen-tokens must be at least 3");
    const { model } = await openModel(lib, opts.model, threads);
    const vocabSize = vocabSizeOf(model);
    const context = await model.createContext({
        contextSize: promptTokens + genTokens + 1, batchSize: Math.max(512, streams, promptTokens),
        sequences: streams, flashAttention: false, threads: { ideal: threads, min: threads },
        failedCreationRemedy: false,
    });
    if (context.flashAttention !== false) fail("could not switch flash attention off");
    const ctx = context._ctx;
    const AddonSampler = model._llama?._bindings?.AddonSampler;
    if (typeof ctx?.decodeBatch !== "function" || typeof AddonSampler !== "function")
        fail("node-llama-cpp's internals are not the 3.22.1 ones this bench expects; run scripts/setup-test-deps.sh");
    const sampler = new AddonSampler(model._model);
    sampler.applyConfig({ temperature: 0, seed: SEED });
    ctx.setThreads(threads);

    const last = new Array(streams);
    for (let s = 0; s < streams; s++) {
        const prompt = randomPromptIds(promptTokens, vocabSize, SEED + 1 + s);
        ctx.initBatch(prompt.length);
        const [idx] = ctx.addToBatch(s, 0, Uint32Array.from(prompt), Uint32Array.of(prompt.length - 1));
        await ctx.decodeBatch();
        last[s] = await ctx.sampleToken(idx, sampler);
    }
    const step = async (pos) => {
        ctx.initBatch(streams);
        const idx = new Array(streams);
        for (let s = 0; s < streams; s++) [idx[s]] = ctx.addToBatch(s, pos, Uint32Array.of(last[s]), Uint32Array.of(0));
        await ctx.decodeBatch();
        for (let s = 0; s < streams; s++) last[s] = await ctx.sampleToken(idx[s], sampler);
    };
    let pos = promptTokens;
    await step(pos++);
    const start = performance.now();
    for (let i = 1; i < genTokens - 1; i++) await step(pos++);
    const seconds = (performance.now() - start) / 1000;
    const tokens = streams * (genTokens - 2);
    await emit({
        streams, prompt_tokens: promptTokens, max_tokens: genTokens, decode_tokens: tokens, decode_s: seconds,
        decode_tok_s: tokens / seconds, threads: ctx.getThreads(), engine: "llama.cpp (node-llama-cpp 3.22.1, CPU)",
    });
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
        process.stdout.write(USAGE + "\n");
        return;
    }
    if (!opts.model) fail(`--model is required\n${USAGE}`);
    const depsDir = path.resolve(opts.deps ?? process.env.JYN_DEPS_DIR ?? path.join(REPO_ROOT, ".jynamo", "deps"));
    const lib = await loadNodeLlamaCpp(depsDir);
    if (opts.bench) await runBench(lib, opts);
    else if (opts["bench-batch"]) await runBatchBench(lib, opts);
    else await runOracle(lib, opts);
    // The addon keeps worker threads alive; leave promptly once our JSON is out.
    process.exit(0);
}

// A stack trace helps only whoever debugs this script; set LLAMA_ORACLE_DEBUG=1 to see it.
main().catch((err) => fail(process.env.LLAMA_ORACLE_DEBUG ? err?.stack ?? String(err) : err?.message ?? String(err)));

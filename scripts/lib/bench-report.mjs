#!/usr/bin/env node
// Turns the raw outputs of scripts/bench-engine.sh into a Markdown table (stdout) and a JSON file.
//
// Usage: node scripts/lib/bench-report.mjs --runs RUNS.tsv --membw MEMBW.jsonl --meta META.json --out FILE.json
//   RUNS.tsv: one line per configuration, "type<TAB>threads<TAB>model<TAB>prefix", where prefix names
//     the files the run left: PREFIX.info (gguf-info JSON), PREFIX.jyn.{out,err,time,rc} (jynamo generate,
//     its stderr carries one "stats: {json}" line; .time is /usr/bin/time -v), PREFIX.llama.{out,err,time,rc}
//     (llama-oracle.mjs --bench).
//   MEMBW.jsonl: lines {"threads":T,"read_gbps":X} from MemoryBandwidth.
//   META.json: anything to keep with the results (shape, token counts, host).
import fs from "node:fs";
import path from "node:path";

function fail(message) {
    process.stderr.write(`bench-report: error: ${message}\n`);
    process.exit(2);
}

function parseArgs(argv) {
    const opts = {};
    for (let i = 0; i < argv.length; i += 2) {
        if (!argv[i].startsWith("--") || i + 1 >= argv.length) fail(`bad arguments near '${argv[i]}'`);
        opts[argv[i].slice(2)] = argv[i + 1];
    }
    for (const required of ["runs", "membw", "meta", "out"]) if (!opts[required]) fail(`--${required} is required`);
    return opts;
}

const readText = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");

function lastJsonLine(text, prefix = "") {
    const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.startsWith(prefix + "{"));
    if (lines.length === 0) return null;
    try {
        return JSON.parse(lines.at(-1).slice(prefix.length));
    } catch {
        return null;
    }
}

/** Peak RSS in MB (10^6 bytes) from GNU time -v output, or null. */
function peakRssMb(timeText) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeText);
    return match ? (Number(match[1]) * 1024) / 1e6 : null;
}

function lastLine(text) {
    return text.trim().split("\n").filter((l) => !/^\s*(Command exited|Command terminated)/.test(l)).at(-1) ?? "";
}

/** One side of a run: its figures, or why there are none. */
function readSide(prefix, side, statsPrefix) {
    const rc = Number(readText(`${prefix}.${side}.rc`).trim() || "NaN");
    const stats = statsPrefix === "stats: " ? lastJsonLine(readText(`${prefix}.${side}.err`), statsPrefix) : lastJsonLine(readText(`${prefix}.${side}.out`));
    const rssMb = peakRssMb(readText(`${prefix}.${side}.time`));
    if (rc !== 0 || stats === null) {
        const why = rc !== 0 ? `exit ${rc}` : "no stats line";
        return { ok: false, error: `${why}: ${lastLine(readText(`${prefix}.${side}.err`)).slice(0, 160)}`, peak_rss_mb: rssMb };
    }
    return { ok: true, stats, peak_rss_mb: rssMb };
}

const ratio = (a, b) => (a != null && b != null && b > 0 ? a / b : null);

function buildRow(fields, bandwidth) {
    const [type, threadsText, model, prefix] = fields;
    const threads = Number(threadsText);
    const info = JSON.parse(readText(`${prefix}.info`) || "null") ?? fail(`no GGUF info for ${model}`);
    const jyn = readSide(prefix, "jyn", "stats: ");
    const llama = readSide(prefix, "llama", "");
    const gbps = bandwidth.get(threads) ?? null;
    const roofline = gbps != null && info.decode_read_bytes > 0 ? (gbps * 1e9) / info.decode_read_bytes : null;
    const jPrefill = jyn.ok ? jyn.stats.prefill_tok_s : null;
    const jDecode = jyn.ok ? jyn.stats.decode_tok_s : null;
    const lPrefill = llama.ok ? llama.stats.prefill_tok_s : null;
    const lDecode = llama.ok ? llama.stats.decode_tok_s : null;
    return {
        type, threads, model,
        file_mb: info.file_bytes / 1e6,
        decode_read_mb: info.decode_read_bytes / 1e6,
        tied: info.tied,
        read_gbps: gbps,
        jynamo: jyn.ok
            ? { prefill_tok_s: jPrefill, decode_tok_s: jDecode, load_s: jyn.stats.load_s ?? null,
                prefill_tokens: jyn.stats.prefill_tokens ?? null, decode_tokens: jyn.stats.decode_tokens ?? null,
                peak_rss_mb: jyn.peak_rss_mb }
            : { error: jyn.error, peak_rss_mb: jyn.peak_rss_mb },
        llama_cpp: llama.ok
            ? { prefill_tok_s: lPrefill, decode_tok_s: lDecode, load_s: llama.stats.load_s ?? null,
                prefill_tokens: llama.stats.prompt_tokens ?? null, decode_tokens: llama.stats.decode_tokens ?? null,
                threads: llama.stats.threads ?? null, peak_rss_mb: llama.peak_rss_mb }
            : { error: llama.error, peak_rss_mb: llama.peak_rss_mb },
        prefill_ratio: ratio(jPrefill, lPrefill),
        decode_ratio: ratio(jDecode, lDecode),
        decode_roofline_tok_s: roofline,
        jynamo_pct_of_roofline: ratio(jDecode, roofline) != null ? 100 * ratio(jDecode, roofline) : null,
        llama_cpp_pct_of_roofline: ratio(lDecode, roofline) != null ? 100 * ratio(lDecode, roofline) : null,
    };
}

const fmt = (v, digits = 1) => (v == null || !Number.isFinite(v) ? "–" : v.toFixed(digits));
const fmtRatio = (v) => (v == null || !Number.isFinite(v) ? "–" : `${v.toFixed(2)}×`);
const fmtPct = (v) => (v == null || !Number.isFinite(v) ? "–" : `${v.toFixed(0)}%`);

function markdown(rows, meta) {
    const header = [
        "type", "threads", "jynamo prefill tok/s", "llama.cpp prefill tok/s", "ratio",
        "jynamo decode tok/s", "llama.cpp decode tok/s", "ratio", "decode roofline tok/s",
        "% of roofline (jynamo / llama.cpp)", "peak RSS MB (jynamo / llama.cpp) vs file MB",
    ];
    const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
    for (const r of rows) {
        const j = r.jynamo, l = r.llama_cpp;
        lines.push("| " + [
            r.type, r.threads, j.error ? "failed" : fmt(j.prefill_tok_s), l.error ? "failed" : fmt(l.prefill_tok_s), fmtRatio(r.prefill_ratio),
            j.error ? "failed" : fmt(j.decode_tok_s), l.error ? "failed" : fmt(l.decode_tok_s), fmtRatio(r.decode_ratio),
            fmt(r.decode_roofline_tok_s), `${fmtPct(r.jynamo_pct_of_roofline)} / ${fmtPct(r.llama_cpp_pct_of_roofline)}`,
            `${fmt(j.peak_rss_mb, 0)} / ${fmt(l.peak_rss_mb, 0)} vs ${fmt(r.file_mb, 0)}`,
        ].join(" | ") + " |");
    }
    const notes = [];
    const bw = [...new Set(rows.map((r) => `${r.threads} thread(s): ${fmt(r.read_gbps)} GB/s`))].join(", ");
    notes.push(`Memory read bandwidth measured in this run: ${bw}. Roofline = bandwidth ÷ weight bytes read per decoded token (all tensors; token_embd too when tied, as the output matrix).`);
    notes.push(`Prompt ${meta.prompt_tokens} tokens in one batch, ${meta.gen_tokens} decoded tokens; ratios are jynamo ÷ llama.cpp; runs interleaved per configuration.`);
    for (const r of rows) {
        if (r.jynamo.error) notes.push(`${r.type}/${r.threads}t jynamo failed: ${r.jynamo.error}`);
        if (r.llama_cpp.error) notes.push(`${r.type}/${r.threads}t llama.cpp failed: ${r.llama_cpp.error}`);
    }
    return lines.join("\n") + "\n\n" + notes.map((n) => `- ${n}`).join("\n") + "\n";
}

function main() {
    const opts = parseArgs(process.argv.slice(2));
    const bandwidth = new Map();
    for (const line of readText(opts.membw).split("\n")) {
        if (!line.trim()) continue;
        const m = JSON.parse(line);
        bandwidth.set(Number(m.threads), Number(m.read_gbps));
    }
    const meta = JSON.parse(readText(opts.meta) || "{}");
    const rows = readText(opts.runs).split("\n").filter((l) => l.trim()).map((l) => buildRow(l.split("\t"), bandwidth));
    if (rows.length === 0) fail(`no runs listed in ${opts.runs}`);
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, JSON.stringify({ ...meta, memory_bandwidth: Object.fromEntries(bandwidth), rows }, null, 2) + "\n");
    process.stdout.write(markdown(rows, meta));
    const failed = rows.filter((r) => r.jynamo.error || r.llama_cpp.error).length;
    process.exitCode = failed > 0 ? 1 : 0;
}

main();

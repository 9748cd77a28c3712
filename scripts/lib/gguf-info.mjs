#!/usr/bin/env node
// Reads a GGUF file's header and tensor table (no dependencies) and prints one JSON object:
//   {file, file_bytes, tensor_count, tensor_bytes, vocab_size, tied, token_embd_bytes,
//    decode_read_bytes, types: {F16: n, ...}, architecture}
// decode_read_bytes is what one decode step streams from memory for the weights: every tensor once,
// except token_embd when the model has its own output matrix (then a step reads one embedding row,
// which we count as nothing). With tied embeddings token_embd doubles as the output matrix and is
// read whole. The KV cache is not counted.
//
// Usage: node scripts/lib/gguf-info.mjs FILE.gguf
import fs from "node:fs";
import { fileURLToPath } from "node:url";

// [elements per block, bytes per block] of each ggml type id (ggml/include/ggml.h, gguf-py constants).
const GGML_TYPES = new Map([
    [0, ["F32", 1, 4]], [1, ["F16", 1, 2]], [2, ["Q4_0", 32, 18]], [3, ["Q4_1", 32, 20]],
    [6, ["Q5_0", 32, 22]], [7, ["Q5_1", 32, 24]], [8, ["Q8_0", 32, 34]], [9, ["Q8_1", 32, 36]],
    [10, ["Q2_K", 256, 84]], [11, ["Q3_K", 256, 110]], [12, ["Q4_K", 256, 144]], [13, ["Q5_K", 256, 176]],
    [14, ["Q6_K", 256, 210]], [15, ["Q8_K", 256, 292]], [16, ["IQ2_XXS", 256, 66]], [17, ["IQ2_XS", 256, 74]],
    [18, ["IQ3_XXS", 256, 98]], [19, ["IQ1_S", 256, 50]], [20, ["IQ4_NL", 32, 18]], [21, ["IQ3_S", 256, 110]],
    [22, ["IQ2_S", 256, 82]], [23, ["IQ4_XS", 256, 136]], [24, ["I8", 1, 1]], [25, ["I16", 1, 2]],
    [26, ["I32", 1, 4]], [27, ["I64", 1, 8]], [28, ["F64", 1, 8]], [29, ["IQ1_M", 256, 56]],
    [30, ["BF16", 1, 2]], [34, ["TQ1_0", 256, 54]], [35, ["TQ2_0", 256, 66]], [39, ["MXFP4", 32, 17]],
]);

// Byte widths of GGUF metadata scalar types; 8 = string and 9 = array are handled apart.
const SCALAR_BYTES = new Map([[0, 1], [1, 1], [2, 2], [3, 2], [4, 4], [5, 4], [6, 4], [7, 1], [10, 8], [11, 8], [12, 8]]);

function fail(message) {
    process.stderr.write(`gguf-info: error: ${message}\n`);
    process.exit(2);
}

/** Sequential little-endian reader over a file, refilled in chunks (vocab arrays run to megabytes). */
class FileReader {
    constructor(path) {
        this.path = path;
        this.fd = fs.openSync(path, "r");
        this.size = fs.fstatSync(this.fd).size;
        this.buf = Buffer.alloc(0);
        this.bufStart = 0;
        this.pos = 0;
    }

    ensure(n) {
        if (this.pos + n > this.size) fail(`${this.path}: truncated GGUF (needs byte ${this.pos + n}, file has ${this.size})`);
        const end = this.bufStart + this.buf.length;
        if (this.pos >= this.bufStart && this.pos + n <= end) return;
        const length = Math.min(Math.max(n, 1 << 20), this.size - this.pos);
        this.buf = Buffer.alloc(length);
        fs.readSync(this.fd, this.buf, 0, length, this.pos);
        this.bufStart = this.pos;
    }

    take(n) {
        this.ensure(n);
        const offset = this.pos - this.bufStart;
        this.pos += n;
        return offset;
    }

    // take() may swap this.buf, so each read takes its offset before touching the buffer.
    u32() {
        const offset = this.take(4);
        return this.buf.readUInt32LE(offset);
    }

    u64() {
        const offset = this.take(8);
        const value = this.buf.readBigUInt64LE(offset);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${this.path}: implausible 64-bit count ${value} at byte ${this.pos - 8}`);
        return Number(value);
    }

    string() {
        const length = this.u64();
        const offset = this.take(length);
        return this.buf.toString("utf8", offset, offset + length);
    }

    skip(n) {
        if (this.pos + n > this.size) fail(`${this.path}: truncated GGUF`);
        this.pos += n;
    }
}

function readValue(r, type) {
    if (type === 8) return r.string();
    if (type === 9) {
        const itemType = r.u32();
        const count = r.u64();
        if (itemType === 8) {
            for (let i = 0; i < count; i++) r.skip(r.u64());
        } else if (SCALAR_BYTES.has(itemType)) {
            r.skip(count * SCALAR_BYTES.get(itemType));
        } else {
            fail(`${r.path}: unsupported metadata array item type ${itemType}`);
        }
        return { arrayLength: count };
    }
    const width = SCALAR_BYTES.get(type);
    if (width === undefined) fail(`${r.path}: unknown metadata value type ${type}`);
    const offset = r.take(width);
    if (type === 4) return r.buf.readUInt32LE(offset);
    if (type === 5) return r.buf.readInt32LE(offset);
    return null; // other scalars are not needed here
}

function tensorBytes(path, tensor) {
    const info = GGML_TYPES.get(tensor.type);
    if (!info) fail(`${path}: tensor ${tensor.name} has ggml type ${tensor.type}, which this script does not know`);
    const [, blockElems, blockBytes] = info;
    const elements = tensor.dims.reduce((a, b) => a * b, 1);
    if (tensor.dims[0] % blockElems !== 0) fail(`${path}: tensor ${tensor.name} row of ${tensor.dims[0]} is not whole blocks of ${blockElems}`);
    return (elements / blockElems) * blockBytes;
}

export function readGgufInfo(path) {
    if (!fs.existsSync(path)) fail(`file not found: ${path}`);
    const r = new FileReader(path);
    const magicAt = r.take(4);
    const magic = r.buf.toString("latin1", magicAt, magicAt + 4);
    if (magic !== "GGUF") fail(`${path}: not a GGUF file (magic '${magic}')`);
    const version = r.u32();
    if (version < 2) fail(`${path}: GGUF version ${version} is too old`);
    const tensorCount = r.u64();
    const kvCount = r.u64();
    const meta = {};
    for (let i = 0; i < kvCount; i++) {
        const key = r.string();
        meta[key] = readValue(r, r.u32());
    }
    const tensors = [];
    for (let i = 0; i < tensorCount; i++) {
        const name = r.string();
        const nDims = r.u32();
        const dims = Array.from({ length: nDims }, () => r.u64());
        const type = r.u32();
        r.u64(); // offset within the data section
        tensors.push({ name, dims, type });
    }
    const types = {};
    let total = 0, embdBytes = 0, vocab = null;
    for (const t of tensors) {
        const bytes = tensorBytes(path, t);
        total += bytes;
        const typeName = GGML_TYPES.get(t.type)[0];
        types[typeName] = (types[typeName] ?? 0) + 1;
        if (t.name === "token_embd.weight") {
            embdBytes = bytes;
            vocab = t.dims[1] ?? null;
        }
    }
    const tied = !tensors.some((t) => t.name === "output.weight");
    fs.closeSync(r.fd);
    return {
        file: path,
        file_bytes: r.size,
        architecture: meta["general.architecture"] ?? null,
        tensor_count: tensorCount,
        tensor_bytes: total,
        vocab_size: vocab ?? meta["tokenizer.ggml.tokens"]?.arrayLength ?? null,
        tied,
        token_embd_bytes: embdBytes,
        decode_read_bytes: tied ? total : total - embdBytes,
        types,
    };
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
    if (process.argv.length !== 3) fail("usage: gguf-info.mjs FILE.gguf");
    process.stdout.write(JSON.stringify(readGgufInfo(process.argv[2])) + "\n");
}

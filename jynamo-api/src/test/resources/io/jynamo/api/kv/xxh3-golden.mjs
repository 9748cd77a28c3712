// Writes xxh3-golden.txt: XXH3-64 answers from an independent implementation (hash-wasm 4.13.0, the
// xxHash C code compiled to WebAssembly), so Xxh3Test needs no npm package at test time.
// Run by hand, outside the repository:
//   mkdir -p /tmp/hw && cd /tmp/hw && npm install --ignore-scripts hash-wasm@4.13.0
//   cp <repo>/jynamo-api/src/test/resources/io/jynamo/api/kv/xxh3-golden.mjs . && node xxh3-golden.mjs > xxh3-golden.txt
import { xxhash3 } from 'hash-wasm';

// Input of length n is the first n bytes of this pattern (what Xxh3Test rebuilds).
const pattern = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
const hex64 = (v) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');

const everySeed = [0n, 1337n];
const extraSeeds = [1n, 0xffffffffn, 0x100000000n, 0x9e3779b97f4a7c15n, -1n];
const extraLengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 32, 33, 63, 64, 65, 96, 97, 127, 128, 129, 130,
  143, 144, 239, 240, 241, 255, 256, 257, 511, 512, 1023, 1024, 1025, 1087, 1088, 1089, 2047, 2048, 2049,
  3000, 4096, 10007, 65536, 100003];

const lines = [
  '# XXH3-64 golden vectors from hash-wasm 4.13.0 (see xxh3-golden.mjs beside this file).',
  '# Input of length n: byte i = (i*31 + 7) mod 256. Columns: n, seed (u64 hex), hash (u64 hex, most significant digit first).',
];
const cases = [];
for (let n = 0; n <= 1024; n++) for (const s of everySeed) cases.push([n, s]);
for (const n of [2048, 4096, 65536, 100003]) for (const s of everySeed) cases.push([n, s]);
for (const n of extraLengths) for (const s of extraSeeds) cases.push([n, s]);
for (const [n, s] of cases) {
  const u = BigInt.asUintN(64, s);
  const h = await xxhash3(pattern(n), Number(u & 0xffffffffn), Number(u >> 32n));
  lines.push(`${n} ${hex64(u)} ${h.padStart(16, '0')}`);
}
process.stdout.write(lines.join('\n') + '\n');

/**
 * KV block hashing that engines and routers must agree on (ARCHITECTURE.md §5): a prompt's tokens are cut
 * into blocks, each block gets an XXH3-64 hash of its token ids, and each block's sequence hash chains it
 * to every block before it, so equal sequence hashes mean equal prefixes. {@link io.jynamo.api.kv.Xxh3}
 * is a dependency-free XXH3-64; {@link io.jynamo.api.kv.BlockHashes} applies it to token blocks.
 */
package io.jynamo.api.kv;

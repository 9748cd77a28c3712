/**
 * The paged KV cache: a {@link io.jynamo.engine.kv.BlockStore} is a rank's pool of fixed-size blocks
 * that hands out block ids and copies whole blocks out and in (KV transfer, offload);
 * {@link io.jynamo.engine.kv.KvCache} is the host-memory one, holding every layer's keys and values
 * in f16 (llama.cpp's default cache type). Per-sequence block tables map a token position to its
 * block and slot, and the {@link io.jynamo.engine.kv.BlockManager} keeps reference counts, the prefix
 * cache by sequence hash (blocks committed by steps or imported from another engine), LRU eviction
 * and KV events. Attention reads the cache in place ({@code io.jynamo.engine.kernel.Attention}).
 */
package io.jynamo.engine.kv;

/**
 * The paged KV cache: one off-heap pool of fixed-size blocks holding every layer's keys and values
 * in f16 (llama.cpp's default cache type), a free list of block ids, and per-sequence block tables
 * that map a token position to its block and slot. Attention reads the cache in place
 * ({@code io.jynamo.engine.kernel.Attention}).
 */
package io.jynamo.engine.kv;

/**
 * The GGUF model container (llama.cpp's format, versions 2 and 3, little-endian): reading a file
 * through one read-only memory mapping, so tensor data is never copied onto the Java heap, and
 * writing one by streaming each tensor straight to disk.
 *
 * <p>{@link io.jynamo.engine.format.gguf.GgufFile} validates everything a corrupt or hostile file
 * could get wrong (counts, lengths, types, alignment, bounds) before it allocates or slices, and
 * reports it as a one-line {@link io.jynamo.engine.EngineException} naming the file.
 * {@link io.jynamo.engine.format.gguf.GgufWriter} lays a file out exactly as llama.cpp's own writer
 * does, so llama.cpp loads what it writes. Tensor bytes are opaque here; their meaning belongs to
 * the tensor package.
 */
package io.jynamo.engine.format.gguf;

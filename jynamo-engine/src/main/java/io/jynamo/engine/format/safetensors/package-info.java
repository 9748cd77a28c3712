/**
 * Hugging Face model weights: the safetensors container (an 8-byte header length, a JSON header,
 * then raw little-endian tensor data) and the model directory around it (one file, or shards with
 * {@code model.safetensors.index.json}).
 *
 * <p>{@link io.jynamo.engine.format.safetensors.SafetensorsModel} maps every file read-only and
 * hands out tensors as slices of the mapping; it validates each header (offsets, sizes against
 * shape and dtype, overlaps) before anything is read. {@link
 * io.jynamo.engine.format.safetensors.SafetensorsWriter} streams tensors out, as one file or as
 * shards with an index, the layout {@code transformers} writes and reads.
 */
package io.jynamo.engine.format.safetensors;

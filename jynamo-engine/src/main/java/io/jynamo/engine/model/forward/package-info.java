/**
 * The decoder forward pass ({@link io.jynamo.engine.model.forward.Transformer}), written once against
 * a {@link io.jynamo.engine.backend.Backend} and summing its row-parallel matmuls over the engine's
 * ranks through {@link io.jynamo.engine.parallel.Collectives}, with its activation buffers allocated
 * once for the largest batch.
 */
package io.jynamo.engine.model.forward;

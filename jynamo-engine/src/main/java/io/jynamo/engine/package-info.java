/**
 * The engine's public surface, the only package other modules import: {@link io.jynamo.engine.Engines}
 * starts a {@link io.jynamo.engine.ServingEngine} (the {@link io.jynamo.api.engine.Engine} contract
 * plus warm-up, step timings and KV block export/import as {@link io.jynamo.engine.KvBlocks}) from a
 * {@link io.jynamo.engine.Model} loaded by {@link io.jynamo.engine.ModelLoader} and an
 * {@link io.jynamo.engine.EngineConfig}, whose {@link io.jynamo.engine.EngineConfig#conclude conclude}
 * computes, in one place, the context length and KV pool size that the engine and the CLI use.
 * Beside them: the model-less {@link io.jynamo.engine.EchoEngine}, single-sequence
 * {@link io.jynamo.engine.GreedyGenerator}, {@link io.jynamo.engine.GgufMetadata} for reading a GGUF
 * file's tokenizer metadata, and the engine's exception.
 */
package io.jynamo.engine;

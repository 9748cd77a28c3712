/**
 * The engine's public surface: {@link io.jynamo.api.engine.Engine} (submit, cancel, metrics, KV events)
 * with its {@link io.jynamo.engine.EngineConfig} and {@link io.jynamo.api.engine.RequestStream}, model
 * loading, single-sequence generation, and the engine's exception.
 */
package io.jynamo.engine;

/** Turns a Hugging Face model directory (config.json + safetensors) into a {@link io.jynamo.engine.model.Model}. */
package io.jynamo.engine.model.hf;

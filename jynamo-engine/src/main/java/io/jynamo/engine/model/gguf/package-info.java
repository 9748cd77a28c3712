/** Turns a GGUF file into a {@link io.jynamo.engine.model.Model}: llama.cpp's metadata keys and tensor names. */
package io.jynamo.engine.model.gguf;

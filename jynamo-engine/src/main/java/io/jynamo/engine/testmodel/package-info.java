/**
 * The test-model generator: random-weight models of any shape, with real tokenizer vocabularies, as
 * GGUF files and Hugging Face directories. Used by tests, benchmarks and {@code jynamo dev make-model}.
 */
package io.jynamo.engine.testmodel;

/**
 * Test fixtures built on the engine: the test-model generator (random-weight models of any shape, with
 * real tokenizer vocabularies, as GGUF files and Hugging Face directories) and measurements of the
 * machine that the engine's numbers are judged against, such as memory read bandwidth, which bounds
 * CPU decode speed (tokens/s ≤ bandwidth ÷ weight bytes read per token). Used by tests, benchmarks and
 * {@code jynamo dev}. The helpers stay package-private here: they read {@link TestModelSpec}, so a
 * sub-package of them would form a package cycle with this one.
 */
package io.jynamo.testkit;

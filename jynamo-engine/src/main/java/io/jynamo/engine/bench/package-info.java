/**
 * Measurements of the machine itself that the engine's numbers are judged against, such as memory
 * read bandwidth, which bounds CPU decode speed (tokens/s ≤ bandwidth ÷ weight bytes read per token).
 */
package io.jynamo.engine.bench;

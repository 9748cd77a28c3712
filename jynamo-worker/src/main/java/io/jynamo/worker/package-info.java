/**
 * Assembles a worker ({@link io.jynamo.worker.Worker}): a model's engine, its registration in
 * discovery under one lease, its generate and card-file endpoints on a request plane, KV-event
 * publishing, and an orderly leave at shutdown. {@code jynamo worker} and the embedded
 * {@code jynamo run} both assemble workers here; the CLI only parses flags.
 */
package io.jynamo.worker;

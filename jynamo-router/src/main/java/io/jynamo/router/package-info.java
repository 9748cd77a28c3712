/**
 * The routing engine: decides which instance of a model each request goes to.
 * {@link io.jynamo.router.RoutingEngine} is the {@code Engine} of a model served by several instances;
 * it hands each request, as a {@link io.jynamo.router.RoutingRequest} (tokens, block hashes computed
 * once), with the live {@link io.jynamo.router.Candidate}s and their state, to an
 * {@link io.jynamo.router.InstancePicker} (round-robin or random today; KV-aware next: radix index fed
 * by KV events, load, cost-based selection). The router only decides: the frontend's model watcher
 * keeps its instance list.
 */
package io.jynamo.router;

/**
 * Picks the instance each request goes to. For now the two stateless policies of
 * {@link io.jynamo.router.RouterMode} (round-robin, random) over the live instances of a model; KV-aware
 * routing (block hashing, radix index, load) comes here later.
 */
package io.jynamo.router;

/**
 * The frontend's view of a distributed deployment: {@link io.jynamo.frontend.discovery.DiscoveryModelRegistry}
 * watches the discovery store's {@code v1/instances/}, {@code v1/models/} and {@code v1/mdc/} keys, builds
 * each model's card from the files its workers serve (cached by checksum), and serves every model through a
 * {@link io.jynamo.frontend.discovery.RoutingEngine} that sends each request to one live instance (the
 * router module's round-robin or random picker). Models and instances come and go while it runs.
 */
package io.jynamo.frontend.discovery;

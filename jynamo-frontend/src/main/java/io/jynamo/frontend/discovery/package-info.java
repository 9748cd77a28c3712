/**
 * What the frontend's model watcher ({@link io.jynamo.frontend.DiscoveryModelRegistry}) needs beside
 * itself: {@link io.jynamo.frontend.discovery.CardLoader} builds a model's card from the files its workers
 * serve, cached by checksum.
 */
package io.jynamo.frontend.discovery;

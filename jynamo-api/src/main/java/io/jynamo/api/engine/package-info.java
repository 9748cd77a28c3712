/**
 * The engine contract every layer above an engine codes against: submit a request, read its stream
 * of outputs, cancel, metrics, KV events. The Jynamo engine and the echo engine implement it; the
 * frontend and the request plane only ever see this.
 */
package io.jynamo.api.engine;

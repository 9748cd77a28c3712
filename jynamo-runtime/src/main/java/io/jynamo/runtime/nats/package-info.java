/**
 * The NATS request and event planes.
 *
 * <h2>Request plane on NATS</h2>
 * A request is published on the instance's subject {@code jyn.{ns}.{component}.{endpoint}.{instance_id_hex}}
 * with a reply subject (an inbox of the client's). The server answers on that inbox with one message
 * per item, each with headers {@code Jyn-Type} ({@code data}, {@code end}, {@code error},
 * {@code heartbeat}) and, except heartbeats, {@code Jyn-Seq} (0, 1, 2… per stream); an {@code error}
 * carries {@code Jyn-Category} and the message as its body. A client that sees a sequence gap ends the
 * stream with {@code unavailable}. To cancel, the client publishes the inbox on
 * {@code {instance subject}.cancel}. While a stream is open the server sends a heartbeat every
 * heartbeat interval; a client that hears nothing for three intervals ends the stream with
 * {@code unavailable} (the server died). In the other direction, every heartbeat interval a client
 * publishes the inboxes of its open calls to an instance, one per line, on
 * {@code {instance subject}.alive}; a server that hears nothing about a stream for three intervals
 * cancels it (the client died). A server that stops serving first ends its open streams with
 * {@code unavailable}. No responders (NATS status 503) means no such instance: {@code unavailable}.
 *
 * <h2>Event plane on NATS</h2>
 * Plain publish/subscribe; event subjects are {@code jyn.{ns}.{component}.events.{kind}}.
 */
package io.jynamo.runtime.nats;

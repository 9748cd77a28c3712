/**
 * How Jynamo's processes find and talk to each other: namespaces, components, endpoints and instances;
 * discovery (etcd, memory, file) with leases; the request plane (TCP, NATS, in-process) and the event
 * plane (NATS, in-process).
 */
package io.jynamo.runtime;

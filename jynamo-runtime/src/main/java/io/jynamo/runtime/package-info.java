/**
 * How Jynamo's processes find and talk to each other (ARCHITECTURE.md §2, §4, §5).
 *
 * <ul>
 *   <li>Names: {@link io.jynamo.runtime.EndpointId} ({@code namespace/component/endpoint}),
 *       {@link io.jynamo.runtime.Instance} (an endpoint, an instance id printed as hex, a
 *       {@link io.jynamo.runtime.Transport}).</li>
 *   <li>Discovery: {@link io.jynamo.runtime.DiscoveryStore} with {@link io.jynamo.runtime.Lease}s, opened
 *       by {@link io.jynamo.runtime.DiscoveryStores} (etcd, memory, file);
 *       {@link io.jynamo.runtime.Registration} writes the {@code v1/instances} keys; {@link io.jynamo.runtime.InstanceWatcher} keeps the live instances of an
 *       endpoint.</li>
 *   <li>Request plane: {@link io.jynamo.runtime.RequestPlane} (TCP in {@code tcp}, NATS in {@code nats},
 *       in-process in {@code inproc}), a {@link io.jynamo.runtime.RequestHandler} writing to a
 *       {@link io.jynamo.runtime.ResponseSink}, the caller reading a {@link io.jynamo.runtime.ResponseStream}
 *       of {@link io.jynamo.runtime.ResponseItem}s; {@link io.jynamo.runtime.Planes} opens them. What
 *       travels on it is the caller's business: this module knows no LLM (engines served remotely, model
 *       entries and cards are the llm module's).</li>
 *   <li>Event plane: {@link io.jynamo.runtime.EventPlane} (NATS, in-process).</li>
 * </ul>
 * Failures are {@link io.jynamo.runtime.RuntimeFailure}s with an {@link io.jynamo.api.ErrorCategory}.
 */
package io.jynamo.runtime;

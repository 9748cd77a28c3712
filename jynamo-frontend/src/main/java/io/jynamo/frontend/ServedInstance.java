package io.jynamo.frontend;

import io.jynamo.api.engine.Engine;

/**
 * An instance serving a model, as {@code /health} lists it.
 *
 * @param model      the served model name
 * @param endpoint   {@code namespace/component/endpoint}
 * @param instanceId the instance id in hex
 * @param transport  the request plane ({@code tcp}, {@code nats}, {@code in-process})
 * @param address    where the plane reaches it
 * @param engine     the instance's engine as this frontend calls it (its {@code metrics()} asks the worker)
 */
public record ServedInstance(String model, String endpoint, String instanceId, String transport, String address,
                             Engine engine) {
}

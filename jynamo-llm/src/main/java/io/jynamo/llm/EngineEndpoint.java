package io.jynamo.llm;

import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.EventPlane;
import io.jynamo.runtime.EndpointId;
import io.jynamo.api.engine.Engine;
import io.jynamo.llm.codec.KvEventCodec;
import io.jynamo.llm.remote.EngineHandler;

/**
 * Serves an {@link Engine} on a request plane, so that a {@link RemoteEngine} elsewhere can use it.
 * Wire: the request body is a {@code PreprocessedRequest} in JSON (see the codec package); the
 * response is {@code {"type":"accepted"}} once the engine took it, then one item per engine output,
 * then the end. A refused request fails the stream with the engine's category.
 */
public final class EngineEndpoint {
    private EngineEndpoint() {
    }

    public static ServedEndpoint serve(RequestPlane plane, EndpointId endpoint, long instanceId, Engine engine) {
        return plane.serve(endpoint, instanceId, new EngineHandler(engine));
    }

    /**
     * Publishes the engine's KV events on {@code jyn.{ns}.{component}.events.kv}, each tagged with the
     * instance id (JSON in {@code KvEventCodec}). Publishing never waits on the step thread: NATS
     * buffers, the in-process plane queues.
     */
    public static void publishKvEvents(Engine engine, EventPlane events, EndpointId endpoint, long instanceId) {
        String subject = EventPlane.subject(endpoint.namespace(), endpoint.component(), "kv");
        engine.subscribeKvEvents(e -> events.publish(subject, KvEventCodec.encode(instanceId, e)));
    }
}

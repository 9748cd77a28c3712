package io.jynamo.runtime.inproc;

import io.jynamo.api.ErrorCategory;
import io.jynamo.runtime.EndpointId;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.RequestHandler;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.RuntimeFailure;
import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.Transport;
import io.jynamo.runtime.plane.ClientStream;
import io.jynamo.runtime.plane.Handlers;
import io.jynamo.runtime.plane.ServerSink;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Requests handed to the handler as they are; items handed to the caller's queue as they are. */
public final class InProcessRequestPlane implements RequestPlane {
    private final Map<String, Served> served = new ConcurrentHashMap<>();

    @Override
    public Transport.Kind kind() {
        return Transport.Kind.IN_PROCESS;
    }

    @Override
    public ServedEndpoint serve(EndpointId endpoint, long instanceId, RequestHandler handler) {
        Instance instance = new Instance(endpoint, instanceId, new Transport(Transport.Kind.IN_PROCESS,
                endpoint.subject(instanceId)));
        Served s = new Served(instance, handler);
        if (served.putIfAbsent(instance.transport().address(), s) != null) {
            throw RuntimeFailure.badRequest("instance " + instance.instanceIdHex() + " of " + endpoint + " is already served");
        }
        return s;
    }

    @Override
    public ResponseStream call(Instance instance, byte[] request) {
        Served s = served.get(instance.transport().address());
        if (s == null) {
            ClientStream stream = new ClientStream(() -> { });
            stream.deliver(new ResponseItem.Failure(ErrorCategory.UNAVAILABLE,
                    "no in-process instance " + instance.instanceIdHex() + " of " + instance.endpoint()));
            return stream;
        }
        return s.call(request);
    }

    @Override
    public void close() {
        served.values().forEach(Served::close);
    }

    private final class Served implements ServedEndpoint {
        private final Instance instance;
        private final RequestHandler handler;
        private final Set<Sink> open = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Served(Instance instance, RequestHandler handler) {
            this.instance = instance;
            this.handler = handler;
        }

        ResponseStream call(byte[] request) {
            Sink[] holder = new Sink[1];
            ClientStream stream = new ClientStream(() -> holder[0].cancel());
            Sink sink = new Sink(stream, this);
            holder[0] = sink;
            open.add(sink);
            if (closed) {
                sink.error(ErrorCategory.UNAVAILABLE, "instance " + instance.instanceIdHex() + " stopped serving");
            } else {
                Handlers.start(handler, request, sink);
            }
            return stream;
        }

        @Override
        public Instance instance() {
            return instance;
        }

        @Override
        public void close() {
            closed = true;
            served.remove(instance.transport().address(), this);
            for (Sink s : open) {
                s.stream.deliver(new ResponseItem.Failure(ErrorCategory.UNAVAILABLE,
                        "instance " + instance.instanceIdHex() + " of " + instance.endpoint() + " stopped serving"));
                s.abandon();
            }
            open.clear();
        }
    }

    private static final class Sink extends ServerSink {
        final ClientStream stream;
        final Served owner;

        Sink(ClientStream stream, Served owner) {
            this.stream = stream;
            this.owner = owner;
        }

        @Override
        protected void writeData(byte[] item) {
            stream.deliver(new ResponseItem.Data(item));
        }

        @Override
        protected void writeEnd() {
            stream.deliver(new ResponseItem.End());
        }

        @Override
        protected void writeError(ErrorCategory category, String message) {
            stream.deliver(new ResponseItem.Failure(category, message));
        }

        @Override
        protected void released() {
            owner.open.remove(this);
        }
    }
}

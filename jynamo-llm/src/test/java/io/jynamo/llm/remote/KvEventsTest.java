package io.jynamo.llm.remote;

import io.jynamo.api.engine.Engine;
import io.jynamo.api.engine.EngineMetrics;
import io.jynamo.api.engine.RequestStream;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.runtime.EndpointId;
import io.jynamo.llm.EngineEndpoint;
import io.jynamo.runtime.Instance;
import io.jynamo.llm.RemoteEngine;
import io.jynamo.runtime.Transport;
import io.jynamo.llm.codec.KvEventCodec;
import io.jynamo.runtime.inproc.InProcessEventPlane;
import io.jynamo.runtime.inproc.InProcessRequestPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KvEventsTest {
    /** The known answer of ARCHITECTURE.md §5: above Long.MAX_VALUE, so it must travel unsigned. */
    private static final long KNOWN = Long.parseUnsignedLong("14643705804678351452");

    @Test
    void kvEventsRoundTripWithUnsignedHashes() {
        var stored = new KvEvent.Envelope(7, 1, new KvEvent.Stored(null, List.of(new KvEvent.Block(KNOWN, -1L))));
        byte[] json = KvEventCodec.encode(0xa1, stored);
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"block_hash\":14643705804678351452"));
        assertEquals(new KvEventCodec.WorkerEvent(0xa1, stored), KvEventCodec.decode(json));
        var removed = new KvEvent.Envelope(8, 0, new KvEvent.Removed(List.of(KNOWN, 3L)));
        assertEquals(removed, KvEventCodec.decode(KvEventCodec.encode(0xa1, removed)).envelope());
        var chained = new KvEvent.Envelope(9, 0, new KvEvent.Stored(KNOWN, List.of(new KvEvent.Block(1, 2))));
        assertEquals(chained, KvEventCodec.decode(KvEventCodec.encode(0xa1, chained)).envelope());
        var cleared = new KvEvent.Envelope(10, 0, new KvEvent.Cleared());
        assertEquals(cleared, KvEventCodec.decode(KvEventCodec.encode(0xa1, cleared)).envelope());
    }

    @Test
    void aRemoteEngineSeesItsWorkersKvEventsOnly() throws Exception {
        EndpointId ep = new EndpointId("ns", "backend", "generate");
        try (InProcessEventPlane events = new InProcessEventPlane(); InProcessRequestPlane plane = new InProcessRequestPlane()) {
            EventSource mine = new EventSource();
            EventSource other = new EventSource();
            EngineEndpoint.publishKvEvents(mine, events, ep, 0x1);
            EngineEndpoint.publishKvEvents(other, events, ep, 0x2);
            Instance instance = new Instance(ep, 0x1, new Transport(Transport.Kind.IN_PROCESS, ep.subject(0x1)));
            LinkedBlockingQueue<KvEvent.Envelope> seen = new LinkedBlockingQueue<>();
            try (RemoteEngine remote = new RemoteEngine(plane, instance, events)) {
                remote.subscribeKvEvents(seen::add);
                other.emit(new KvEvent.Envelope(1, 0, new KvEvent.Cleared()));
                var e = new KvEvent.Envelope(1, 0, new KvEvent.Removed(List.of(KNOWN)));
                mine.emit(e);
                KvEvent.Envelope got = seen.poll(5, TimeUnit.SECONDS);
                assertNotNull(got);
                assertEquals(e, got);
            }
        }
    }

    /** An engine that only has KV events, emitted by the test. */
    private static final class EventSource implements Engine {
        private final List<Consumer<KvEvent.Envelope>> listeners = new CopyOnWriteArrayList<>();

        void emit(KvEvent.Envelope e) {
            listeners.forEach(l -> l.accept(e));
        }

        @Override
        public RequestStream submit(PreprocessedRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel(String requestId) {
        }

        @Override
        public EngineMetrics metrics() {
            return null;
        }

        @Override
        public void subscribeKvEvents(Consumer<KvEvent.Envelope> listener) {
            listeners.add(listener);
        }

        @Override
        public void close() {
        }
    }
}

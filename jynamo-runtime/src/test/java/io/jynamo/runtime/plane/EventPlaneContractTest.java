package io.jynamo.runtime.plane;

import io.jynamo.runtime.EventPlane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
public abstract class EventPlaneContractTest {
    protected abstract EventPlane publisher();

    protected abstract EventPlane subscriber();

    private static String take(LinkedBlockingQueue<EventPlane.Event> q) throws InterruptedException {
        EventPlane.Event e = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no event within 10 s");
        return e.subject() + "=" + new String(e.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void subscribersGetTheirSubjectsInOrder() throws Exception {
        String kv = EventPlane.subject("ns", "worker", "kv");
        String load = EventPlane.subject("ns", "worker", "load");
        LinkedBlockingQueue<EventPlane.Event> all = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<EventPlane.Event> loads = new LinkedBlockingQueue<>();
        try (var a = subscriber().subscribe("jyn.ns.worker.events.*", all::add);
             var b = subscriber().subscribe(load, loads::add);
             var c = subscriber().subscribe("jyn.other.>", loads::add)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                publisher().publish(kv, ("e" + i).getBytes(StandardCharsets.UTF_8));
                expected.add(kv + "=e" + i);
            }
            publisher().publish(load, "marker".getBytes(StandardCharsets.UTF_8));
            expected.add(load + "=marker");
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                got.add(take(all));
            }
            assertEquals(expected, got);
            assertEquals(load + "=marker", take(loads), "the load subscriber sees no kv event");
        }
    }

    @Test
    void eventSubjectsFollowTheArchitecture() {
        assertEquals("jyn.dyn.backend.events.kv", EventPlane.subject("dyn", "backend", "kv"));
    }
}

package io.jynamo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** etcd restarted empty under load: workers re-register, serving resumes, and a frontend started later finds them. */
class EtcdRestartTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void workersReRegisterAndServingResumes() throws Exception {
        try (Deployment d = new Deployment(false)) {
            try {
                run(d);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\n" + d.logs(), e);
            }
        }
    }

    private static void run(Deployment d) throws Exception {
        Deployment.Worker w = d.worker("worker", "tcp", "echo", List.of("--echo-delay-ms", "0"));
        Deployment.Frontend front = d.frontend("frontend");
        Deployment.await(() -> DistributedServingTest.instances(front.port()) == 1, 60, "the frontend to see the worker");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lastOk = new AtomicLong();
        AtomicInteger ok = new AtomicInteger();
        Thread load = Thread.ofVirtual().start(() -> {
            while (!stop.get()) {
                try {
                    Http.Response r = Http.chat(front.port(), Http.referenceBody(Deployment.MODEL, "load", 2),
                            Duration.ofSeconds(10));
                    if (r.status() == 200) {
                        ok.incrementAndGet();
                        lastOk.set(System.nanoTime());
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    // counted by the absence of successes
                }
            }
        });
        try {
            Deployment.await(() -> ok.get() >= 5, 30, "load before the restart");
            d.etcd.restartEmpty();
            long restarted = System.nanoTime();
            Deployment.await(() -> !d.keysOf(w.idHex()).isEmpty(), 40, "the worker to register again");
            Deployment.await(() -> lastOk.get() > restarted, 40, "a request to succeed after the restart");
            Deployment.await(() -> DistributedServingTest.instances(front.port()) == 1, 30, "the frontend to see the worker again");
        } finally {
            stop.set(true);
            load.join(TimeUnit.SECONDS.toMillis(15));
        }

        // a frontend started after the workers finds them
        Deployment.Frontend late = d.frontend("frontend-late");
        Deployment.await(() -> DistributedServingTest.instances(late.port()) == 1, 60, "the late frontend to find the worker");
        Http.Response r = Http.chat(late.port(), Http.referenceBody(Deployment.MODEL, "hello", 5), Duration.ofSeconds(30));
        assertEquals(200, r.status(), r.body());
        assertTrue(front.process().isAlive() && w.process().isAlive());
    }
}

package io.jynamo.it;

import io.jynamo.runtime.testing.ExternalServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frontend and workers on different hosts: three network namespaces on a bridge (10.213.N.1 runs etcd
 * and the frontend, .2 and .3 a worker each). Needs root; skipped (saying so) otherwise.
 */
class MultiHostTest {
    private final List<List<String>> cleanup = new ArrayList<>();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void frontendAndWorkersOnSeparateHosts(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && sh("ip", "netns", "list") == 0,
                "skipped: needs root and ip netns to build separate hosts");
        int net = ThreadLocalRandom.current().nextInt(10, 250);
        String tag = "jyn" + Long.toString(ProcessHandle.current().pid() % 100000, 36) + net;
        String bridge = tag + "br";
        List<JynamoProcess> processes = new ArrayList<>();
        Process etcd = null;
        try {
            must("ip", "link", "add", bridge, "type", "bridge");
            cleanup.add(List.of("ip", "link", "del", bridge));
            must("ip", "addr", "add", "10.213." + net + ".254/24", "dev", bridge);
            must("ip", "link", "set", bridge, "up");
            for (int h = 1; h <= 3; h++) {
                String ns = tag + "h" + h;
                must("ip", "netns", "add", ns);
                cleanup.add(List.of("ip", "netns", "del", ns));
                must("ip", "link", "add", ns + "v", "type", "veth", "peer", "name", "eth0", "netns", ns);
                must("ip", "link", "set", ns + "v", "master", bridge);
                must("ip", "link", "set", ns + "v", "up");
                must("ip", "netns", "exec", ns, "ip", "addr", "add", "10.213." + net + "." + h + "/24", "dev", "eth0");
                must("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
                must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
            String h1 = "10.213." + net + ".1";
            int etcdPort = ExternalServer.freePort();
            String etcdUrl = "http://" + h1 + ":" + etcdPort;
            String peer = "http://" + h1 + ":" + ExternalServer.freePort();
            etcd = new ProcessBuilder("ip", "netns", "exec", tag + "h1", "etcd", "--name", "h1",
                    "--data-dir", dir.resolve("etcd").toString(), "--listen-client-urls", etcdUrl,
                    "--advertise-client-urls", etcdUrl, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "h1=" + peer, "--log-level", "warn").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("etcd.log").toFile()).start();
            Deployment.await(() -> get(etcdUrl + "/health") == 200, 30, "etcd on host 1");

            Map<String, String> env = Map.of("ETCD_ENDPOINTS", h1 + ":" + etcdPort);
            String model = Deployment.model().toString();
            JynamoProcess front = JynamoProcess.start("frontend", dir, env, List.of("ip", "netns", "exec", tag + "h1"),
                    List.of("run", "in=http", "out=dyn", "--http-port", "0"));
            processes.add(front);
            for (int h = 2; h <= 3; h++) {
                processes.add(JynamoProcess.start("worker-h" + h, dir, env, List.of("ip", "netns", "exec", tag + "h" + h),
                        List.of("worker", "--model-path", model, "--served-model-name", Deployment.MODEL,
                                "--engine", "echo")));
            }
            int port = front.awaitHttpPort();
            for (int h = 2; h <= 3; h++) {
                String w = processes.get(h - 1).await(java.util.regex.Pattern.compile("on tcp ([0-9.]+):\\d+"), 90);
                assertEquals("10.213." + net + "." + h, w, "a worker advertises the address its host has toward etcd");
            }
            String base = "http://" + h1 + ":" + port;
            Deployment.await(() -> body(base + "/health").contains("10.213." + net + ".3")
                    && body(base + "/health").contains("10.213." + net + ".2"), 60, "the frontend to see both hosts' workers");
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                                + "/v1/chat/completions")).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(Http.referenceBody(Deployment.MODEL, "across hosts", 5)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            assertTrue(body(base + "/v1/models").contains(Deployment.MODEL));
        } catch (AssertionError | Exception e) {
            StringBuilder logs = new StringBuilder();
            processes.forEach(p -> logs.append("---- ").append(p).append(" ----\n").append(p.log()));
            throw new AssertionError(e.getMessage() + "\n" + logs, e);
        } finally {
            for (JynamoProcess p : processes) {
                p.kill();
            }
            if (etcd != null) {
                etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                sh(cleanup.get(i).toArray(String[]::new));
            }
        }
    }

    private static int get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String body(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void must(String... cmd) throws IOException, InterruptedException {
        int rc = sh(cmd);
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + rc);
        }
    }

    private static int sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

package io.jynamo.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jynamo infra up|down|status}: etcd and NATS (JetStream on) on this host, from the installed
 * binaries, as the reference deployment's node 1 runs them. State (pids, data, logs) lives in one
 * directory.
 */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = "Run etcd and NATS on this host for a multi-node deployment.",
        subcommands = {InfraCommand.Up.class, InfraCommand.Down.class, InfraCommand.Status.class})
final class InfraCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing infra command: up, down or status");
    }

    /** Where and on which ports; shared by the three subcommands. */
    static final class Settings {
        @Option(names = "--state-dir", defaultValue = "${env:JYN_INFRA_DIR:-${sys:user.home}/.jynamo/infra}",
                description = "pids, data and logs (env JYN_INFRA_DIR, default ${DEFAULT-VALUE})")
        Path stateDir;

        @Option(names = "--host", defaultValue = "${env:JYN_INFRA_HOST:-0.0.0.0}",
                description = "address both servers listen on (env JYN_INFRA_HOST, default ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--advertise-host", defaultValue = "${env:JYN_INFRA_ADVERTISE_HOST:-}",
                description = "address other nodes use to reach this one (env JYN_INFRA_ADVERTISE_HOST, default: --host, "
                        + "or 127.0.0.1 when that is 0.0.0.0)")
        String advertiseHost;

        @Option(names = "--etcd-port", defaultValue = "${env:JYN_ETCD_PORT:-2379}",
                description = "etcd client port (env JYN_ETCD_PORT, default ${DEFAULT-VALUE})")
        int etcdPort;

        @Option(names = "--etcd-peer-port", defaultValue = "${env:JYN_ETCD_PEER_PORT:-2380}",
                description = "etcd peer port (env JYN_ETCD_PEER_PORT, default ${DEFAULT-VALUE})")
        int etcdPeerPort;

        @Option(names = "--nats-port", defaultValue = "${env:JYN_NATS_PORT:-4222}",
                description = "NATS client port (env JYN_NATS_PORT, default ${DEFAULT-VALUE})")
        int natsPort;

        @Option(names = "--nats-monitor-port", defaultValue = "${env:JYN_NATS_MONITOR_PORT:-8222}",
                description = "NATS monitoring port, whose /healthz tells readiness (env JYN_NATS_MONITOR_PORT, default ${DEFAULT-VALUE})")
        int natsMonitorPort;

        String advertised() {
            if (!advertiseHost.isBlank()) {
                return advertiseHost;
            }
            return host.equals("0.0.0.0") ? "127.0.0.1" : host;
        }

        String local() {
            return host.equals("0.0.0.0") ? "127.0.0.1" : host;
        }

        InfraServer etcd() {
            Path dir = stateDir.toAbsolutePath();
            String client = "http://" + host + ":" + etcdPort;
            return new InfraServer("etcd", "etcd", List.of(
                    "--name", "jynamo", "--data-dir", dir.resolve("etcd-data").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", "http://" + advertised() + ":" + etcdPort,
                    "--listen-peer-urls", "http://" + local() + ":" + etcdPeerPort,
                    "--initial-advertise-peer-urls", "http://" + local() + ":" + etcdPeerPort,
                    "--initial-cluster", "jynamo=http://" + local() + ":" + etcdPeerPort),
                    dir, URI.create("http://" + local() + ":" + etcdPort + "/health"), "true");
        }

        InfraServer nats() {
            Path dir = stateDir.toAbsolutePath();
            return new InfraServer("nats", "nats-server", List.of(
                    "-a", host, "-p", Integer.toString(natsPort), "-m", Integer.toString(natsMonitorPort),
                    "-js", "-sd", dir.resolve("nats-data").toString()),
                    dir, URI.create("http://" + local() + ":" + natsMonitorPort + "/healthz"), "ok");
        }

        String exports() {
            return "export ETCD_ENDPOINTS=http://" + advertised() + ":" + etcdPort
                    + " NATS_SERVER=nats://" + advertised() + ":" + natsPort;
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start etcd and nats-server in the background (installing the Debian packages etcd-server "
                    + "and nats-server first when they are missing and this user may).")
    static final class Up implements Callable<Integer> {
        @Mixin
        Settings settings;

        @Option(names = "--timeout-s", defaultValue = "${env:JYN_INFRA_TIMEOUT_S:-30}",
                description = "how long to wait for each to be healthy, in seconds (env JYN_INFRA_TIMEOUT_S, default ${DEFAULT-VALUE})")
        int timeoutS;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            for (InfraServer s : List.of(settings.etcd(), settings.nats())) {
                Optional<ProcessHandle> running = s.running();
                if (running.isPresent()) {
                    out.println(s.name() + ": already running (pid " + running.get().pid() + ")");
                    continue;
                }
                Path exe = InfraServer.find(s.binary()).orElseGet(() -> InfraPackages.install(s.binary(), out));
                checkFree(s, settings);
                ProcessHandle h = s.start(exe, Duration.ofSeconds(timeoutS));
                out.println(s.name() + ": started (pid " + h.pid() + "), log " + s.logFile());
            }
            out.println(settings.exports());
            return 0;
        }

        private static void checkFree(InfraServer s, Settings settings) {
            int[] ports = s.name().equals("etcd") ? new int[]{settings.etcdPort, settings.etcdPeerPort}
                    : new int[]{settings.natsPort, settings.natsMonitorPort};
            for (int port : ports) {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.bind(new InetSocketAddress(settings.local(), port));
                } catch (IOException e) {
                    throw CliException.unavailable("port " + port + " on " + settings.local() + " is taken (by a "
                            + s.name() + " not started by jynamo infra, or another program); stop it or choose "
                            + "another port");
                }
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop what 'jynamo infra up' started.")
    static final class Down implements Callable<Integer> {
        @Mixin
        Settings settings;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            for (InfraServer s : List.of(settings.nats(), settings.etcd())) {
                out.println(s.name() + ": " + (s.stop(Duration.ofSeconds(10)) ? "stopped" : "was not running"));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Whether etcd and NATS run and answer; exit code 0 only when both are healthy.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Settings settings;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            boolean all = true;
            for (InfraServer s : List.of(settings.etcd(), settings.nats())) {
                Optional<ProcessHandle> h = s.running();
                boolean healthy = s.healthy();
                all &= healthy;
                out.println(s.name() + ": " + (h.map(p -> "running (pid " + p.pid() + ")").orElse("not started here"))
                        + ", " + (healthy ? "healthy" : "not answering") + " at " + s.healthUrl());
            }
            if (all) {
                out.println(settings.exports());
            }
            return all ? 0 : 3;
        }
    }
}

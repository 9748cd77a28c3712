package io.jynamo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Installs the Debian package of a missing server binary, when apt-get exists and this user may run it. */
final class InfraPackages {
    private static final Map<String, String> PACKAGE = Map.of("etcd", "etcd-server", "nats-server", "nats-server");

    private InfraPackages() {}

    static Path install(String binary, PrintWriter out) {
        String pkg = PACKAGE.get(binary);
        String manual = "install the Debian package '" + pkg + "' (apt-get install " + pkg + ") or put '" + binary
                + "' on PATH";
        if (InfraServer.find("apt-get").isEmpty()) {
            throw CliException.unavailable("'" + binary + "' is not installed and there is no apt-get here; " + manual);
        }
        List<String> cmd = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            if (InfraServer.find("sudo").isEmpty()) {
                throw CliException.unavailable("'" + binary + "' is not installed and this user cannot install it; " + manual);
            }
            cmd.addAll(List.of("sudo", "-n"));
        }
        cmd.addAll(List.of("apt-get", "install", "-y", "-q", pkg));
        out.println("installing " + pkg + " …");
        out.flush();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw CliException.unavailable("'" + String.join(" ", cmd) + "' failed; " + manual);
            }
        } catch (IOException e) {
            throw CliException.unavailable("cannot run apt-get (" + e.getMessage() + "); " + manual);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted while installing " + pkg);
        }
        return InfraServer.find(binary).orElseThrow(() -> CliException.unavailable(
                pkg + " was installed but '" + binary + "' is still not found; " + manual));
    }
}

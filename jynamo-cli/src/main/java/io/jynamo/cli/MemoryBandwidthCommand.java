package io.jynamo.cli;

import io.jynamo.testkit.MemoryBandwidth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jynamo dev membw}: memory read bandwidth, the roofline of CPU decode. */
@Command(name = "membw", mixinStandardHelpOptions = true, description = "Measures memory read bandwidth (GB/s).")
final class MemoryBandwidthCommand implements Callable<Integer> {
    @Option(names = "--threads", defaultValue = "1") int threads;
    @Option(names = "--bytes", defaultValue = "1073741824") long bytes;
    @Option(names = "--repeats", defaultValue = "5") int repeats;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        double gbps = MemoryBandwidth.readGBps(threads, bytes, repeats);
        command.commandLine().getOut().printf(Locale.ROOT, "{\"threads\":%d,\"read_gbps\":%.2f}%n", threads, gbps);
        return 0;
    }
}

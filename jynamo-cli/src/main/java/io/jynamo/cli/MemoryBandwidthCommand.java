package io.jynamo.cli;

import io.jynamo.testkit.MemoryBandwidth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code jynamo dev membw}: memory read bandwidth, the roofline of CPU decode. */
@Command(name = "membw", mixinStandardHelpOptions = true, description = "Measures memory read bandwidth (GB/s).")
final class MemoryBandwidthCommand implements Callable<Integer> {
    @Option(names = "--threads", defaultValue = "${env:JYN_MEMBW_THREADS:-1}",
            description = "reading threads (env JYN_MEMBW_THREADS, default ${DEFAULT-VALUE})") int threads;
    @Option(names = "--bytes", defaultValue = "${env:JYN_MEMBW_BYTES:-1073741824}",
            description = "bytes read per pass (env JYN_MEMBW_BYTES, default ${DEFAULT-VALUE})") long bytes;
    @Option(names = "--repeats", defaultValue = "${env:JYN_MEMBW_REPEATS:-5}",
            description = "passes; the best counts (env JYN_MEMBW_REPEATS, default ${DEFAULT-VALUE})") int repeats;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        double gbps = MemoryBandwidth.readGBps(threads, bytes, repeats);
        command.commandLine().getOut().printf(Locale.ROOT, "{\"threads\":%d,\"read_gbps\":%.2f}%n", threads, gbps);
        return 0;
    }
}

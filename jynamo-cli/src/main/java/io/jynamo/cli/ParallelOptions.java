package io.jynamo.cli;

import picocli.CommandLine.Option;

/**
 * How one model is spread over ranks: tensor and data parallelism, named as in SGLang ({@code --tp},
 * {@code --dp-size}) and vLLM ({@code --tensor-parallel-size}, {@code --data-parallel-size}). Parsed and
 * checked on every serving command; more than one rank is refused until this build can run them.
 */
final class ParallelOptions {
    @Option(names = {"--tp", "--tp-size", "--tensor-parallel-size"}, defaultValue = "${env:JYN_TP:-1}",
            description = "tensor-parallel ranks across all nodes; this build runs 1 and refuses more "
                    + "(env JYN_TP, default ${DEFAULT-VALUE})")
    int tp;

    @Option(names = {"--dp-size", "--data-parallel-size"}, defaultValue = "${env:JYN_DP_SIZE:-1}",
            description = "data-parallel replicas inside the engine, at most --tp; this build runs 1 and refuses more: "
                    + "start one worker per replica (env JYN_DP_SIZE, default ${DEFAULT-VALUE})")
    int dpSize;

    @Option(names = "--enable-dp-attention", defaultValue = "${env:JYN_ENABLE_DP_ATTENTION:-false}",
            description = "data-parallel attention, tensor-parallel MLP; refused in this build "
                    + "(env JYN_ENABLE_DP_ATTENTION, default ${DEFAULT-VALUE})")
    boolean enableDpAttention;

    /** Checks the values alone; {@link #refuseUnimplemented} says what this build cannot run yet. */
    void validate() {
        positive("--tp", tp);
        positive("--dp-size", dpSize);
        if (dpSize > tp) {
            throw CliException.badInput("--dp-size (" + dpSize + ") cannot exceed --tp (" + tp + ")");
        }
    }

    /** Valid settings this build cannot run yet, refused with what to do instead. */
    void refuseUnimplemented(int nnodes) {
        if (tp > 1 || nnodes > 1) {
            throw CliException.badInput("tensor parallelism (--tp " + tp + ", --nnodes " + nnodes
                    + ") is not implemented yet; run one worker per model replica with --tp 1");
        }
        if (dpSize > 1 || enableDpAttention) {
            throw CliException.badInput("data parallelism (--dp-size, --enable-dp-attention) is not implemented yet; "
                    + "start one worker per replica instead");
        }
    }

    static void positive(String flag, int v) {
        if (v < 1) {
            throw CliException.badInput(flag + " must be >= 1, got " + v);
        }
    }
}

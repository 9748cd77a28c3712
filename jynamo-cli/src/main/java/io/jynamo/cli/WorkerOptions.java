package io.jynamo.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code jynamo worker}'s own flags, named and meaning as SGLang's server arguments in the reference
 * deployment. Flags for capabilities that come later (tensor and data parallelism across ranks,
 * disaggregation) are parsed and checked now, and refused with a message that says so.
 */
final class WorkerOptions {
    @Option(names = "--model-path", required = true, defaultValue = "${env:JYN_MODEL_PATH}",
            description = "GGUF file or Hugging Face model directory (env JYN_MODEL_PATH)")
    Path modelPath;

    @Option(names = "--served-model-name", defaultValue = "${env:JYN_SERVED_MODEL_NAME}",
            description = "the name clients ask for; default: the model file or directory name (env JYN_SERVED_MODEL_NAME)")
    String servedModelName;

    @Option(names = "--namespace", defaultValue = "${env:JYN_NAMESPACE:-dynamo}",
            description = "discovery namespace (env JYN_NAMESPACE, default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--request-plane", defaultValue = "${env:JYN_REQUEST_PLANE:-tcp}",
            description = "how requests reach this worker: tcp or nats (env JYN_REQUEST_PLANE, default ${DEFAULT-VALUE})")
    String requestPlane;

    @Option(names = "--engine", defaultValue = "${env:JYN_ENGINE:-jynamo}",
            description = "jynamo (the model) or echo (streams prompts back; for testing) (env JYN_ENGINE)")
    String engine;

    @Option(names = {"--tp", "--tp-size"}, defaultValue = "${env:JYN_TP:-1}",
            description = "tensor-parallel ranks across all nodes (env JYN_TP)")
    int tp;

    @Option(names = "--dp-size", defaultValue = "${env:JYN_DP_SIZE:-1}", description = "data-parallel replicas (env JYN_DP_SIZE)")
    int dpSize;

    @Option(names = "--enable-dp-attention", description = "data-parallel attention, tensor-parallel MLP")
    boolean enableDpAttention;

    @Option(names = "--dist-init-addr", defaultValue = "${env:JYN_DIST_INIT_ADDR}",
            description = "HOST:PORT where the ranks of one engine meet (env JYN_DIST_INIT_ADDR)")
    String distInitAddr;

    @Option(names = "--nnodes", defaultValue = "${env:JYN_NNODES:-1}", description = "nodes one engine spans (env JYN_NNODES)")
    int nnodes;

    @Option(names = "--node-rank", defaultValue = "${env:JYN_NODE_RANK:-0}", description = "this node's rank (env JYN_NODE_RANK)")
    int nodeRank;

    @Option(names = "--trust-remote-code", description = "accepted for compatibility; no Python code ever runs")
    boolean trustRemoteCode;

    @Option(names = "--skip-tokenizer-init",
            description = "the worker takes token ids only (Jynamo's frontend always tokenizes); accepted")
    boolean skipTokenizerInit;

    @Option(names = "--disaggregation-mode", defaultValue = "${env:JYN_DISAGGREGATION_MODE:-null}",
            description = "null (aggregated), prefill or decode (env JYN_DISAGGREGATION_MODE)")
    String disaggregationMode;

    @Option(names = "--disaggregation-transfer-backend", defaultValue = "${env:JYN_DISAGGREGATION_TRANSFER_BACKEND:-tcp}",
            description = "KV transfer between prefill and decode workers: tcp or shm (env JYN_DISAGGREGATION_TRANSFER_BACKEND)")
    String transferBackend;

    /** Checks the flags together; throws a CLI error naming the flag for anything this build cannot do. */
    void validate() {
        requestPlane = requestPlane.toLowerCase(Locale.ROOT);
        if (!requestPlane.equals("tcp") && !requestPlane.equals("nats")) {
            throw CliException.badInput("--request-plane must be tcp or nats, got '" + requestPlane + "'");
        }
        engine = engine.toLowerCase(Locale.ROOT);
        if (!engine.equals("jynamo") && !engine.equals("echo")) {
            throw CliException.badInput("--engine must be jynamo or echo, got '" + engine + "'");
        }
        if (namespace.isBlank() || !namespace.matches("[A-Za-z0-9_-]+")) {
            throw CliException.badInput("--namespace must be letters, digits, '-' or '_', got '" + namespace + "'");
        }
        positive("--tp", tp);
        positive("--dp-size", dpSize);
        positive("--nnodes", nnodes);
        if (nodeRank < 0 || nodeRank >= nnodes) {
            throw CliException.badInput("--node-rank must be in 0.." + (nnodes - 1) + " for --nnodes " + nnodes
                    + ", got " + nodeRank);
        }
        if (dpSize > tp) {
            throw CliException.badInput("--dp-size (" + dpSize + ") cannot exceed --tp (" + tp + ")");
        }
        if (nnodes > 1 && (distInitAddr == null || !distInitAddr.matches("[^:\\s]+:\\d{1,5}"))) {
            throw CliException.badInput("--dist-init-addr HOST:PORT is required when --nnodes > 1");
        }
        String mode = disaggregationMode.toLowerCase(Locale.ROOT);
        if (!mode.equals("null") && !mode.equals("prefill") && !mode.equals("decode")) {
            throw CliException.badInput("--disaggregation-mode must be null, prefill or decode, got '" + disaggregationMode + "'");
        }
        String backend = transferBackend.toLowerCase(Locale.ROOT);
        if (backend.equals("nixl") || backend.equals("mooncake")) {
            throw CliException.badInput("--disaggregation-transfer-backend " + backend + " is not available in Jynamo; "
                    + "use tcp or shm (same host)");
        }
        if (!backend.equals("tcp") && !backend.equals("shm")) {
            throw CliException.badInput("--disaggregation-transfer-backend must be tcp or shm, got '" + transferBackend + "'");
        }
        // Valid, but not in this build yet.
        if (tp > 1 || nnodes > 1) {
            throw CliException.badInput("tensor parallelism (--tp " + tp + ", --nnodes " + nnodes
                    + ") is not implemented yet; run one worker per model replica with --tp 1");
        }
        if (dpSize > 1 || enableDpAttention) {
            throw CliException.badInput("data parallelism (--dp-size, --enable-dp-attention) is not implemented yet; "
                    + "start one worker per replica instead");
        }
        if (!mode.equals("null")) {
            throw CliException.badInput("disaggregated serving (--disaggregation-mode " + mode
                    + ") is not implemented yet; run aggregated workers (leave --disaggregation-mode out)");
        }
    }

    private static void positive(String flag, int v) {
        if (v < 1) {
            throw CliException.badInput(flag + " must be >= 1, got " + v);
        }
    }

    String servedName() {
        return servedModelName != null && !servedModelName.isBlank() ? servedModelName
                : io.jynamo.worker.WorkerConfig.defaultServedName(modelPath);
    }
}

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
    @Option(names = {"--model-path", "--model"}, required = true, defaultValue = "${env:JYN_MODEL_PATH}",
            description = "GGUF file or Hugging Face model directory; required (env JYN_MODEL_PATH, no default)")
    Path modelPath;

    @Option(names = "--served-model-name", defaultValue = "${env:JYN_SERVED_MODEL_NAME}",
            description = "the name clients ask for (env JYN_SERVED_MODEL_NAME, default: the model file or "
                    + "directory name)")
    String servedModelName;

    @Option(names = "--chat-template", paramLabel = "FILE", defaultValue = "${env:JYN_CHAT_TEMPLATE}",
            description = "a Jinja chat template that replaces the model's; it travels with the card files, so "
                    + "every frontend uses it (env JYN_CHAT_TEMPLATE, default: the model's own)")
    Path chatTemplate;

    @Option(names = "--namespace", defaultValue = "${env:JYN_NAMESPACE:-dynamo}",
            description = "discovery namespace (env JYN_NAMESPACE, default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--request-plane", defaultValue = "${env:JYN_REQUEST_PLANE:-tcp}",
            description = "how requests reach this worker: tcp or nats; nats needs NATS_SERVER "
                    + "(env JYN_REQUEST_PLANE, default ${DEFAULT-VALUE})")
    String requestPlane;

    @Option(names = "--engine", defaultValue = "${env:JYN_ENGINE:-jynamo}",
            description = "jynamo (the model) or echo (streams prompts back; for testing) "
                    + "(env JYN_ENGINE, default ${DEFAULT-VALUE})")
    String engine;

    @picocli.CommandLine.Mixin
    ParallelOptions parallel;

    @Option(names = "--dist-init-addr", defaultValue = "${env:JYN_DIST_INIT_ADDR}",
            description = "HOST:PORT where the ranks of one engine meet; required when --nnodes > 1 "
                    + "(env JYN_DIST_INIT_ADDR, no default)")
    String distInitAddr;

    @Option(names = "--nnodes", defaultValue = "${env:JYN_NNODES:-1}",
            description = "nodes one engine spans; this build runs 1 and refuses more "
                    + "(env JYN_NNODES, default ${DEFAULT-VALUE})")
    int nnodes;

    @Option(names = "--node-rank", defaultValue = "${env:JYN_NODE_RANK:-0}",
            description = "this node's rank, below --nnodes (env JYN_NODE_RANK, default ${DEFAULT-VALUE})")
    int nodeRank;

    @Option(names = "--trust-remote-code", defaultValue = "${env:JYN_TRUST_REMOTE_CODE:-false}",
            description = "accepted for compatibility; no Python code ever runs "
                    + "(env JYN_TRUST_REMOTE_CODE, default ${DEFAULT-VALUE})")
    boolean trustRemoteCode;

    @Option(names = "--skip-tokenizer-init", defaultValue = "${env:JYN_SKIP_TOKENIZER_INIT:-false}",
            description = "the worker takes token ids only (Jynamo's frontend always tokenizes); accepted "
                    + "(env JYN_SKIP_TOKENIZER_INIT, default ${DEFAULT-VALUE})")
    boolean skipTokenizerInit;

    @Option(names = "--disaggregation-mode", defaultValue = "${env:JYN_DISAGGREGATION_MODE:-null}",
            description = "null (aggregated), prefill or decode; prefill and decode are refused in this build "
                    + "(env JYN_DISAGGREGATION_MODE, default ${DEFAULT-VALUE})")
    String disaggregationMode;

    @Option(names = "--disaggregation-transfer-backend", defaultValue = "${env:JYN_DISAGGREGATION_TRANSFER_BACKEND:-tcp}",
            description = "KV transfer between prefill and decode workers: tcp or shm; nixl and mooncake are refused "
                    + "(env JYN_DISAGGREGATION_TRANSFER_BACKEND, default ${DEFAULT-VALUE})")
    String transferBackend;

    /** Checks the flags together; throws a CLI error naming the flag for anything this build cannot do. */
    void validate() {
        parallel.validate();
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
        ParallelOptions.positive("--nnodes", nnodes);
        if (nodeRank < 0 || nodeRank >= nnodes) {
            throw CliException.badInput("--node-rank must be in 0.." + (nnodes - 1) + " for --nnodes " + nnodes
                    + ", got " + nodeRank);
        }
        if (chatTemplate != null) {
            io.jynamo.worker.ModelFiles.chatTemplate(chatTemplate);  // checked before anything starts
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
        parallel.refuseUnimplemented(nnodes);
        if (!mode.equals("null")) {
            throw CliException.badInput("disaggregated serving (--disaggregation-mode " + mode
                    + ") is not implemented yet; run aggregated workers (leave --disaggregation-mode out)");
        }
    }

    String servedName() {
        return servedModelName != null && !servedModelName.isBlank() ? servedModelName
                : io.jynamo.worker.WorkerConfig.defaultServedName(modelPath);
    }
}

package io.jynamo.llm;

import io.jynamo.runtime.ServedEndpoint;
import io.jynamo.runtime.ResponseStream;
import io.jynamo.runtime.ResponseItem;
import io.jynamo.runtime.RequestPlane;
import io.jynamo.runtime.Instance;
import io.jynamo.runtime.EndpointId;
import io.jynamo.api.ErrorCategory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves the files of a {@link PublishedCard} by content address, so a frontend on another host can
 * build the model card without the model files. Request: the file's sha256 (hex, UTF-8). Response:
 * the file's bytes in items of at most {@value #CHUNK_BYTES} bytes (below NATS's default 1 MiB payload
 * limit), then the end; an unknown sha256 fails with NOT_FOUND. Served on
 * {@code {ns}/backend/files} under the worker's instance id.
 */
public final class CardFileEndpoint {
    public static final int CHUNK_BYTES = 512 * 1024;
    public static final String COMPONENT = "backend";
    public static final String ENDPOINT = "files";

    private CardFileEndpoint() {
    }

    /** {@code {ns}/backend/files}. */
    public static EndpointId endpoint(String namespace) {
        return new EndpointId(namespace, COMPONENT, ENDPOINT);
    }

    /** Serves these files (name → bytes) under their sha256. */
    public static ServedEndpoint serve(RequestPlane plane, String namespace, long instanceId, Map<String, byte[]> files) {
        Map<String, byte[]> bySha = new HashMap<>();
        files.values().forEach(b -> bySha.put(PublishedCard.sha256(b), b));
        return plane.serve(endpoint(namespace), instanceId, (request, sink) -> {
            String sha = new String(request, StandardCharsets.UTF_8).trim();
            byte[] data = bySha.get(sha);
            if (data == null) {
                sink.error(ErrorCategory.NOT_FOUND, "no card file with sha256 " + abbreviate(sha));
                return;
            }
            for (int off = 0; off < data.length && !sink.isCancelled(); off += CHUNK_BYTES) {
                sink.send(Arrays.copyOfRange(data, off, Math.min(data.length, off + CHUNK_BYTES)));
            }
            sink.end();
        });
    }

    /**
     * Fetches one file from an instance of the files endpoint and checks its sha256 and size. Waits at
     * most {@code itemTimeoutMs} for each item; fails with UNAVAILABLE (or the server's category).
     */
    public static byte[] fetch(RequestPlane plane, Instance files, PublishedCard.FileRef ref, long itemTimeoutMs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(ref.size(), 1 << 26));
        try (ResponseStream stream = plane.call(files, ref.sha256().getBytes(StandardCharsets.UTF_8))) {
            while (true) {
                ResponseItem item = stream.poll(itemTimeoutMs, TimeUnit.MILLISECONDS);
                switch (item) {
                    case null -> throw new LlmException(ErrorCategory.UNAVAILABLE, "worker "
                            + files.instanceIdHex() + " sent nothing of " + ref.name() + " for " + itemTimeoutMs + " ms");
                    case ResponseItem.Failure f -> throw new LlmException(f.category(), "fetching " + ref.name()
                            + " from worker " + files.instanceIdHex() + ": " + f.message());
                    case ResponseItem.Data d -> {
                        if (out.size() + (long) d.body().length > ref.size()) {
                            throw new LlmException(ErrorCategory.INTERNAL, ref.name() + " from worker "
                                    + files.instanceIdHex() + " is larger than its card says (" + ref.size() + " bytes)");
                        }
                        out.writeBytes(d.body());
                    }
                    case ResponseItem.End e -> {
                        byte[] data = out.toByteArray();
                        if (data.length != ref.size() || !PublishedCard.sha256(data).equals(ref.sha256())) {
                            throw new LlmException(ErrorCategory.INTERNAL, ref.name() + " from worker "
                                    + files.instanceIdHex() + " does not match its sha256");
                        }
                        return data;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException(ErrorCategory.UNAVAILABLE, "interrupted while fetching " + ref.name());
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}

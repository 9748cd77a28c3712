package io.jynamo.llm.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.kv.KvEvent;
import io.jynamo.runtime.Instance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * KV events as ARCHITECTURE.md §5 writes them, with the publishing worker's instance id added:
 * <pre>{@code
 * {"worker_id": "a1", "event_id": 7, "dp_rank": 0,
 *  "stored": {"parent_hash": 123 | null, "blocks": [{"block_hash": 456, "tokens_hash": 789}]}}
 * {"worker_id": "a1", "event_id": 8, "dp_rank": 0, "removed": {"block_hashes": [456]}}
 * {"worker_id": "a1", "event_id": 9, "dp_rank": 0, "cleared": {}}
 * }</pre>
 * Hashes are unsigned 64-bit integers written in decimal (xxh3-64 values exceed a signed long).
 */
public final class KvEventCodec {
    private KvEventCodec() {
    }

    /** An event and the worker that published it. */
    public record WorkerEvent(long workerId, KvEvent.Envelope envelope) {
    }

    public static byte[] encode(long workerId, KvEvent.Envelope e) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("worker_id", Long.toHexString(workerId));
            g.writeNumberField("event_id", e.eventId());
            g.writeNumberField("dp_rank", e.dpRank());
            switch (e.event()) {
                case KvEvent.Stored s -> {
                    g.writeObjectFieldStart("stored");
                    g.writeFieldName("parent_hash");
                    if (s.parentHash() == null) {
                        g.writeNull();
                    } else {
                        hash(g, s.parentHash());
                    }
                    g.writeArrayFieldStart("blocks");
                    for (KvEvent.Block b : s.blocks()) {
                        g.writeStartObject();
                        g.writeFieldName("block_hash");
                        hash(g, b.blockHash());
                        g.writeFieldName("tokens_hash");
                        hash(g, b.tokensHash());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                case KvEvent.Removed r -> {
                    g.writeObjectFieldStart("removed");
                    g.writeArrayFieldStart("block_hashes");
                    for (long h : r.blockHashes()) {
                        hash(g, h);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                case KvEvent.Cleared c -> {
                    g.writeObjectFieldStart("cleared");
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        });
    }

    private static void hash(JsonGenerator g, long h) throws IOException {
        g.writeNumber(Long.toUnsignedString(h));
    }

    private static long hash(JsonNode n, String field) {
        if (n == null || !n.isIntegralNumber()) {
            throw new CodecException(field + " must be an unsigned 64-bit integer");
        }
        return n.bigIntegerValue().longValue();
    }

    public static WorkerEvent decode(byte[] json) {
        JsonNode o = Json.read(json, "a KV event");
        long worker = Instance.parseId(Json.text(o, "worker_id", "0"));
        KvEvent event;
        if (o.hasNonNull("stored")) {
            JsonNode s = o.get("stored");
            JsonNode parent = s.get("parent_hash");
            List<KvEvent.Block> blocks = new ArrayList<>();
            for (JsonNode b : s.path("blocks")) {
                blocks.add(new KvEvent.Block(hash(b.get("block_hash"), "block_hash"), hash(b.get("tokens_hash"), "tokens_hash")));
            }
            event = new KvEvent.Stored(parent == null || parent.isNull() ? null : hash(parent, "parent_hash"), blocks);
        } else if (o.hasNonNull("removed")) {
            List<Long> hashes = new ArrayList<>();
            for (JsonNode h : o.get("removed").path("block_hashes")) {
                hashes.add(hash(h, "block_hashes"));
            }
            event = new KvEvent.Removed(hashes);
        } else if (o.hasNonNull("cleared")) {
            event = new KvEvent.Cleared();
        } else {
            throw new CodecException("a KV event is stored, removed or cleared");
        }
        return new WorkerEvent(worker, new KvEvent.Envelope(o.path("event_id").asLong(), Json.integer(o, "dp_rank", 0), event));
    }
}

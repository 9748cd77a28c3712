package io.jynamo.llm.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.jynamo.api.engine.EngineMetrics;

/**
 * {@link EngineMetrics} as JSON (snake_case, every field defaulting to 0), and the metrics query
 * {@code {"op": "metrics"}} a client sends on an engine endpoint instead of a request.
 */
public final class MetricsCodec {
    private static final byte[] QUERY = "{\"op\":\"metrics\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private MetricsCodec() {
    }

    public static byte[] query() {
        return QUERY.clone();
    }

    public static byte[] encode(EngineMetrics m) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("running", m.running());
            g.writeNumberField("waiting", m.waiting());
            g.writeNumberField("kv_blocks_used", m.kvBlocksUsed());
            g.writeNumberField("kv_blocks_cached", m.kvBlocksCached());
            g.writeNumberField("kv_blocks_total", m.kvBlocksTotal());
            g.writeNumberField("prefix_hit_rate", m.prefixHitRate());
            g.writeNumberField("cached_prompt_tokens", m.cachedPromptTokens());
            g.writeNumberField("prompt_tokens", m.promptTokens());
            g.writeNumberField("tokens_generated", m.tokensGenerated());
            g.writeNumberField("preemptions", m.preemptions());
            g.writeNumberField("steps", m.steps());
            g.writeNumberField("mean_step_ms", m.meanStepMs());
            g.writeEndObject();
        });
    }

    public static EngineMetrics decode(byte[] json) {
        JsonNode o = Json.read(json, "engine metrics");
        return new EngineMetrics(o.path("running").asInt(), o.path("waiting").asInt(), o.path("kv_blocks_used").asInt(),
                o.path("kv_blocks_cached").asInt(), o.path("kv_blocks_total").asInt(), o.path("prefix_hit_rate").asDouble(),
                o.path("cached_prompt_tokens").asLong(), o.path("prompt_tokens").asLong(),
                o.path("tokens_generated").asLong(), o.path("preemptions").asLong(), o.path("steps").asLong(),
                o.path("mean_step_ms").asDouble());
    }
}

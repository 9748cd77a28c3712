package io.jynamo.api.request;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad values are refused where a request is built, each with a message naming the field. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestValidationTest {
    static void refused(String fragment, Executable build) {
        RequestException e = assertThrows(RequestException.class, build);
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void samplingKnobsOutOfRange() {
        refused("temperature", () -> new SamplingOptions(-0.1f, 0, 1f, 0f, null, 1f, 0f, 0f));
        refused("temperature", () -> new SamplingOptions(Float.NaN, 0, 1f, 0f, null, 1f, 0f, 0f));
        refused("top_p", () -> new SamplingOptions(1f, 0, 0f, 0f, null, 1f, 0f, 0f));
        refused("top_p", () -> new SamplingOptions(1f, 0, 1.01f, 0f, null, 1f, 0f, 0f));
        refused("top_k", () -> new SamplingOptions(1f, -2, 1f, 0f, null, 1f, 0f, 0f));
        refused("min_p", () -> new SamplingOptions(1f, 0, 1f, 1.5f, null, 1f, 0f, 0f));
        refused("repetition_penalty", () -> new SamplingOptions(1f, 0, 1f, 0f, null, 0f, 0f, 0f));
        refused("frequency_penalty", () -> new SamplingOptions(1f, 0, 1f, 0f, null, 1f, 2.5f, 0f));
        refused("presence_penalty", () -> new SamplingOptions(1f, 0, 1f, 0f, null, 1f, 0f, -3f));
    }

    @Test
    void stopAndOutputOptions() {
        refused("max_tokens", () -> StopConditions.maxTokens(0));
        refused("min_tokens", () -> new StopConditions(4, 5, null, false));
        refused("top_logprobs", () -> new OutputOptions(true, 21));
        refused("top_logprobs needs logprobs", () -> new OutputOptions(false, 3));
    }

    @Test
    void requestShape() {
        refused("prompt is empty", () -> new PreprocessedRequest("r", "m", new int[0], null, null, null, 1));
        refused("n must be", () -> new PreprocessedRequest("r", "m", new int[] {1}, null, null, null, 0));
        int[] ids = {5, 6, 7};
        PreprocessedRequest r = new PreprocessedRequest("r", "m", ids, null, null, null, 2);
        ids[0] = 99;
        assertArrayEquals(new int[] {5, 6, 7}, r.tokenIds(), "the request keeps its own copy");
        assertEquals(SamplingOptions.DEFAULTS, r.sampling(), "no sampling said: OpenAI's defaults, as on every interface");
        assertEquals(16, r.stop().maxTokens());
    }
}

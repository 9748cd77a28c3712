package io.jynamo.llm.codec;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.JynamoException;
import io.jynamo.api.output.EngineOutput;
import io.jynamo.api.output.FinishReason;
import io.jynamo.api.output.TokenLogprob;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class CodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void requestRoundTrips() {
        PreprocessedRequest r = new PreprocessedRequest("req-1", "m", new int[]{5, 6, 7},
                new SamplingOptions(0.7f, 40, 0.9f, 0.05f, 1234L, 1.1f, 0.5f, -0.5f),
                new StopConditions(100, 2, new int[]{9, 10}, true), new OutputOptions(true, 3), 2);
        PreprocessedRequest back = RequestCodec.decode(RequestCodec.encode(r));
        assertEquals(r.requestId(), back.requestId());
        assertEquals(r.model(), back.model());
        assertArrayEquals(r.tokenIds(), back.tokenIds());
        assertEquals(r.sampling(), back.sampling());
        assertEquals(r.stop().maxTokens(), back.stop().maxTokens());
        assertEquals(r.stop().minTokens(), back.stop().minTokens());
        assertArrayEquals(r.stop().stopTokenIds(), back.stop().stopTokenIds());
        assertEquals(r.stop().ignoreEos(), back.stop().ignoreEos());
        assertEquals(r.output(), back.output());
        assertEquals(2, back.n());
    }

    @Test
    void missingRequestFieldsTakeTheirDefaults() {
        PreprocessedRequest r = RequestCodec.decode(utf8("{\"token_ids\":[1,2]}"));
        assertArrayEquals(new int[]{1, 2}, r.tokenIds());
        assertEquals(SamplingOptions.DEFAULTS, r.sampling(), "temperature 1 when unsaid, as over HTTP");
        assertEquals(1f, RequestCodec.decode(utf8("{\"token_ids\":[1],\"sampling\":{\"top_p\":0.5}}"))
                .sampling().temperature());
        assertEquals(16, r.stop().maxTokens());
        assertEquals(0, r.stop().minTokens());
        assertFalse(r.stop().ignoreEos());
        assertEquals(OutputOptions.NONE, r.output());
        assertEquals(1, r.n());
        assertNull(r.model());
        assertFalse(r.requestId().isEmpty());
        PreprocessedRequest partial = RequestCodec.decode(utf8("{\"token_ids\":[1],\"sampling\":{\"temperature\":0.5}}"));
        assertEquals(0.5f, partial.sampling().temperature());
        assertEquals(1f, partial.sampling().topP());
    }

    @Test
    void unknownRequestFieldsAreIgnored() {
        PreprocessedRequest r = RequestCodec.decode(utf8("{\"request_id\":\"x\",\"token_ids\":[3],\"future\":{\"a\":[1]},"
                + "\"sampling\":{\"temperature\":0,\"mirostat\":2},\"routing\":{\"dp_rank\":1}}"));
        assertEquals("x", r.requestId());
        assertArrayEquals(new int[]{3}, r.tokenIds());
    }

    @Test
    void invalidRequestsAreBadRequests() {
        for (String bad : List.of("not json", "[1]", "{}", "{\"token_ids\":[1],\"n\":0}",
                "{\"token_ids\":[\"a\"]}", "{\"token_ids\":[1],\"sampling\":{\"top_p\":2}}",
                "{\"token_ids\":[1],\"stop\":[]}")) {
            JynamoException e = assertThrows(JynamoException.class, () -> RequestCodec.decode(utf8(bad)), bad);
            assertEquals(ErrorCategory.BAD_REQUEST, e.category(), bad);
        }
    }

    @Test
    void outputsRoundTrip() {
        var top = List.of(List.of(new TokenLogprob(5, -0.25f), new TokenLogprob(6, -1.5f)));
        EngineOutput.Tokens t = new EngineOutput.Tokens(1, new int[]{5}, new float[]{-0.25f}, top);
        EngineOutput.Tokens tb = assertInstanceOf(EngineOutput.Tokens.class, OutputCodec.decode(OutputCodec.encode(t)));
        assertEquals(1, tb.index());
        assertArrayEquals(new int[]{5}, tb.tokenIds());
        assertArrayEquals(new float[]{-0.25f}, tb.logprobs());
        assertEquals(top, tb.topLogprobs());
        EngineOutput.Tokens plain = new EngineOutput.Tokens(0, new int[]{1, 2}, null, null);
        EngineOutput.Tokens pb = assertInstanceOf(EngineOutput.Tokens.class, OutputCodec.decode(OutputCodec.encode(plain)));
        assertNull(pb.logprobs());
        assertNull(pb.topLogprobs());
        for (FinishReason reason : FinishReason.values()) {
            EngineOutput f = new EngineOutput.Finished(1, reason, 7, 3);
            assertEquals(f, OutputCodec.decode(OutputCodec.encode(f)));
        }
        for (ErrorCategory c : ErrorCategory.values()) {
            EngineOutput f = new EngineOutput.Failed(0, c, "went \"wrong\"");
            assertEquals(f, OutputCodec.decode(OutputCodec.encode(f)));
        }
        assertNull(OutputCodec.decode(OutputCodec.accepted()));
    }

    @Test
    void outputsDefaultMissingFieldsAndIgnoreUnknownOnes() {
        EngineOutput.Tokens t = assertInstanceOf(EngineOutput.Tokens.class,
                OutputCodec.decode(utf8("{\"token_ids\":[4],\"new_thing\":true}")));
        assertEquals(0, t.index());
        assertArrayEquals(new int[]{4}, t.tokenIds());
        assertEquals(new EngineOutput.Finished(0, FinishReason.STOP, 0, 0), OutputCodec.decode(utf8("{\"type\":\"finished\"}")));
        assertEquals(new EngineOutput.Finished(2, FinishReason.ERROR, 0, 0),
                OutputCodec.decode(utf8("{\"type\":\"finished\",\"index\":2,\"reason\":\"aliens\"}")));
        EngineOutput.Failed f = assertInstanceOf(EngineOutput.Failed.class,
                OutputCodec.decode(utf8("{\"type\":\"failed\",\"category\":\"quota\"}")));
        assertEquals(ErrorCategory.INTERNAL, f.category());
    }

    @Test
    void encodedRequestIsSnakeCase() {
        String json = new String(RequestCodec.encode(new PreprocessedRequest("a", null, new int[]{1}, SamplingOptions.GREEDY, null, null, 1)),
                StandardCharsets.UTF_8);
        assertEquals("{\"request_id\":\"a\",\"token_ids\":[1],\"n\":1,\"sampling\":{\"temperature\":0.0,\"top_k\":0,"
                + "\"top_p\":1.0,\"min_p\":0.0,\"repetition_penalty\":1.0,\"frequency_penalty\":0.0,"
                + "\"presence_penalty\":0.0},\"stop\":{\"max_tokens\":16,\"min_tokens\":0,\"stop_token_ids\":[],"
                + "\"ignore_eos\":false},\"output\":{\"logprobs\":false,\"top_logprobs\":0}}", json);
    }
}

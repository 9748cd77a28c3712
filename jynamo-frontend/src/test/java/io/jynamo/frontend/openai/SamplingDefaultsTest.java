package io.jynamo.frontend.openai;

import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.frontend.ByteTokenizer;
import io.jynamo.llm.ModelCard;
import io.jynamo.llm.codec.RequestCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A missing sampling field means the same over HTTP and on the request plane: the model's default, else OpenAI's. */
@Timeout(10)
class SamplingDefaultsTest {
    private static PreprocessedRequest completion(String json, ModelCard card) {
        GenerationRequest r = RequestParser.completion(RequestParser.parseJson(json.getBytes(StandardCharsets.UTF_8)));
        return Preprocessor.prepare(r, card, "id").getFirst();
    }

    private static ModelCard card(SamplingOptions defaults) {
        return new ModelCard("m", new ByteTokenizer(), null, "<s>", "</s>", new int[] {ByteTokenizer.EOS}, 4096, 16,
                defaults);
    }

    @Test
    void unsaidFieldsTakeOpenAisDefaultsEverywhere() {
        PreprocessedRequest http = completion("{\"model\":\"m\",\"prompt\":\"hi\",\"max_tokens\":2}",
                card(SamplingOptions.DEFAULTS));
        assertEquals(SamplingOptions.DEFAULTS, http.sampling());
        assertEquals(1f, http.sampling().temperature());
        PreprocessedRequest wire = RequestCodec.decode("{\"token_ids\":[1]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(http.sampling(), wire.sampling(), "the request plane's default is HTTP's");
    }

    @Test
    void unsaidFieldsTakeTheModelsGenerationConfigAndSaidOnesWin() {
        SamplingOptions model = new SamplingOptions(0.6f, 20, 0.95f, 0f, null, 1.1f, 0f, 0f);
        PreprocessedRequest unsaid = completion("{\"model\":\"m\",\"prompt\":\"hi\",\"max_tokens\":2}", card(model));
        assertEquals(model, unsaid.sampling());
        PreprocessedRequest said = completion("{\"model\":\"m\",\"prompt\":\"hi\",\"max_tokens\":2,\"temperature\":0,"
                + "\"top_k\":5}", card(model));
        assertEquals(new SamplingOptions(0f, 5, 0.95f, 0f, null, 1.1f, 0f, 0f), said.sampling());
        assertEquals(true, said.sampling().greedy());
        PreprocessedRequest back = RequestCodec.decode(RequestCodec.encode(unsaid));
        assertEquals(unsaid.sampling(), back.sampling(), "what the frontend decided crosses the plane unchanged");
    }
}

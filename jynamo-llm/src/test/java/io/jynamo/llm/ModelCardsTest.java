package io.jynamo.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelCardsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    private static final List<Map<String, Object>> CHAT = List.of(Map.of("role", "user", "content", "Hi"));

    private static Path modelDir(Path tmp, String hfPackage) throws IOException {
        Path src = TestVocabs.assets().hfTokenizer(hfPackage);
        Files.createSymbolicLink(tmp.resolve("tokenizer.json"), src.resolve("tokenizer.json"));
        Files.copy(src.resolve("tokenizer_config.json"), tmp.resolve("tokenizer_config.json"));
        return tmp;
    }

    @Test
    void huggingFaceDirectoryGivesTokenizerTemplateEosAndContext(@TempDir Path tmp) throws IOException {
        Path dir = modelDir(tmp, "llama3");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [128001, 128009]}");
        Files.writeString(dir.resolve("config.json"), "{\"max_position_embeddings\": 8192}");
        ModelCard card = ModelCards.fromHuggingFaceDirectory(dir, "llama3", 0, 16, CLOCK);
        assertEquals("<|begin_of_text|>", card.bosToken());
        assertEquals("<|end_of_text|>", card.eosToken());
        assertArrayEquals(new int[] {128001, 128009}, card.eosTokenIds());
        assertEquals(8192, card.contextLength());
        assertEquals(io.jynamo.api.request.SamplingOptions.DEFAULTS, card.samplingDefaults(),
                "a generation_config without sampling fields leaves OpenAI's defaults");
        assertEquals(128256, card.tokenizer().vocabSize());
        assertNotNull(card.chatTemplate());
        String prompt = card.chatTemplate().render(CHAT, null, true, Map.of());
        assertTrue(prompt.startsWith("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"), prompt);
    }

    @Test
    void generationConfigSetsTheSamplingDefaults(@TempDir Path tmp) throws IOException {
        Path dir = modelDir(tmp, "qwen3");
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"eos_token_id\": 151645, \"temperature\": 0.6, \"top_p\": 0.95, \"top_k\": 20, \"do_sample\": true}");
        io.jynamo.api.request.SamplingOptions s = ModelCards.fromHuggingFaceDirectory(dir, "q", 4096, 16, CLOCK)
                .samplingDefaults();
        assertEquals(0.6f, s.temperature());
        assertEquals(0.95f, s.topP());
        assertEquals(20, s.topK());
        assertEquals(1f, s.repetitionPenalty());

        Files.writeString(dir.resolve("generation_config.json"), "{\"temperature\": 0.6, \"do_sample\": false}");
        assertTrue(ModelCards.fromHuggingFaceDirectory(dir, "q", 4096, 16, CLOCK).samplingDefaults().greedy(),
                "do_sample false is greedy, as in transformers");

        Files.writeString(dir.resolve("generation_config.json"), "{\"top_p\": 7}");
        LlmException e = org.junit.jupiter.api.Assertions.assertThrows(LlmException.class,
                () -> ModelCards.fromHuggingFaceDirectory(dir, "q", 4096, 16, CLOCK));
        assertTrue(e.getMessage().contains("generation_config.json") && e.getMessage().contains("top_p"), e.getMessage());
    }

    @Test
    void eosTokenIdMayBeASingleIntAndChatTemplateJinjaWins(@TempDir Path tmp) throws IOException {
        Path dir = modelDir(tmp, "qwen3");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 151645}");
        Files.writeString(dir.resolve("chat_template.jinja"), "{% for m in messages %}[{{ m.content }}]{% endfor %}\n");
        ModelCard card = ModelCards.fromHuggingFaceDirectory(dir, "qwen3", 4096, 16, CLOCK);
        assertEquals(151645, card.eosTokenIds()[0]);
        assertEquals(4096, card.contextLength());
        assertEquals("[Hi]", card.chatTemplate().render(CHAT, null, false, Map.of()));
    }

    @Test
    void namedTemplateListTakesDefault(@TempDir Path tmp) throws IOException {
        Path cfg = tmp.resolve("tokenizer_config.json");
        Files.writeString(cfg, "{\"bos_token\": {\"content\": \"<s>\"}, \"chat_template\": ["
                + "{\"name\": \"tool_use\", \"template\": \"TOOLS\"},"
                + "{\"name\": \"default\", \"template\": \"{{ bos_token }}{{ messages[0].content }}\"}]}");
        assertEquals("<s>Hi", ChatTemplates.fromTokenizerConfig(cfg, CLOCK).render(CHAT, null, false, Map.of()));
    }

    @Test
    void badFilesNameTheFile(@TempDir Path tmp) throws IOException {
        Path cfg = tmp.resolve("tokenizer_config.json");
        Files.writeString(cfg, "{not json");
        LlmException e = assertThrows(LlmException.class, () -> ChatTemplates.fromTokenizerConfig(cfg, CLOCK));
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertTrue(e.getMessage().contains(cfg.toString()), e.getMessage());
        LlmException missing = assertThrows(LlmException.class,
                () -> Tokenizers.fromHuggingFace(tmp.resolve("nope/tokenizer.json")));
        assertEquals(ErrorCategory.NOT_FOUND, missing.category());
        Path badTok = tmp.resolve("tokenizer.json");
        Files.writeString(badTok, "{\"model\": {}}");
        LlmException bad = assertThrows(LlmException.class, () -> Tokenizers.fromHuggingFace(badTok));
        assertTrue(bad.getMessage().contains(badTok.toString()), bad.getMessage());
    }

    @Test
    void ggufVocabularyGivesTokenizerAndEndOfTurnIds() {
        GgufVocab vocab = TestVocabs.vocab("llama-bpe");
        ModelCard card = ModelCards.fromGguf(vocab, "llama3", 8192, 16, CLOCK);
        assertEquals("<|begin_of_text|>", card.bosToken());
        int eot = card.tokenizer().tokenId("<|eot_id|>");
        assertTrue(java.util.Arrays.stream(card.eosTokenIds()).anyMatch(id -> id == eot));
        assertTrue(java.util.Arrays.stream(card.eosTokenIds()).anyMatch(id -> id == vocab.eosId()));
        GgufVocab withTemplate = new GgufVocab(vocab.model(), vocab.pre(), vocab.tokens(), vocab.scores(),
                vocab.tokenTypes(), vocab.merges(), vocab.bosId(), vocab.eosId(), vocab.unkId(), vocab.padId(),
                vocab.addBos(), vocab.addEos(), vocab.addSpacePrefix(), vocab.modelName(),
                "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{{ eos_token }}");
        assertEquals("<|begin_of_text|>Hi" + vocab.tokens()[vocab.eosId()],
                ChatTemplates.fromGguf(withTemplate, CLOCK).render(CHAT, null, false, Map.of()));
        assertNull(ChatTemplates.fromGguf(new GgufVocab(vocab.model(), vocab.pre(), vocab.tokens(), null, null,
                vocab.merges(), -1, -1, -1, -1, null, null, null, null, null), CLOCK));
    }

    @Test
    void unsupportedGgufModelIsAClearError() {
        LlmException e = assertThrows(LlmException.class, () -> Tokenizers.fromGguf(new GgufVocab("t5", null,
                new String[] {"a"}, null, null, null, -1, -1, -1, -1, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("t5"), e.getMessage());
    }

    @Test
    void raiseExceptionIsABadRequestWithTheTemplatesMessage() {
        ChatTemplate t = ChatTemplates.of("{% if messages|length == 0 %}{{ raise_exception('No messages!') }}{% endif %}ok");
        RequestException e = assertThrows(RequestException.class, () -> t.render(List.of(), null, false, Map.of()));
        assertEquals(ErrorCategory.BAD_REQUEST, e.category());
        assertEquals("No messages!", e.getMessage());
        assertEquals("ok", t.render(CHAT, null, false, Map.of()));
    }
}

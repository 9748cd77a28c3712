package io.jynamo.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CardFilesTest {
    private static final List<Map<String, Object>> CHAT = List.of(Map.of("role", "user", "content", "Hi there"));

    @Test
    void aGgufVocabularyTravelsAndRebuildsTheSameCard(@TempDir Path tmp) throws IOException {
        GgufVocab vocab = TestVocabs.vocab("llama-bpe");
        ModelCard local = ModelCards.fromGguf(vocab, "m", 512, 16, Clock.systemUTC());
        for (Map.Entry<String, byte[]> f : CardFiles.ofGgufVocab(vocab).entrySet()) {
            Files.write(tmp.resolve(f.getKey()), f.getValue());
        }
        ModelCard remote = CardFiles.load(tmp, "m", 512, 16, Clock.systemUTC());
        String text = "Hello, world! ünïcödé 123";
        assertArrayEquals(local.tokenizer().encode(text, true), remote.tokenizer().encode(text, true));
        assertArrayEquals(local.eosTokenIds(), remote.eosTokenIds());
        assertEquals(local.bosToken(), remote.bosToken());
        assertEquals(local.chatTemplate() == null, remote.chatTemplate() == null);
    }

    @Test
    void huggingFaceFilesTravelAsTheyAre(@TempDir Path tmp) throws IOException {
        Path src = TestVocabs.assets().hfTokenizer("llama3");
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.copy(src.resolve("tokenizer.json"), model.resolve("tokenizer.json"));
        Files.copy(src.resolve("tokenizer_config.json"), model.resolve("tokenizer_config.json"));
        Map<String, byte[]> files = CardFiles.ofHuggingFaceDirectory(model);
        assertEquals(List.of("tokenizer.json", "tokenizer_config.json"), List.copyOf(files.keySet()));
        Path copy = Files.createDirectories(tmp.resolve("copy"));
        files.forEach((n, b) -> {
            try {
                Files.write(copy.resolve(n), b);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ModelCard card = CardFiles.load(copy, "m", 1024, 16, Clock.systemUTC());
        assertEquals(1024, card.contextLength());
        String rendered = card.chatTemplate().render(CHAT, null, true, Map.of());
        assertEquals(true, rendered.contains("Hi there"));
    }

    @Test
    void aCorruptVocabularyIsABadInput() {
        assertThrows(LlmException.class, () -> CardFiles.decodeVocab(new byte[] {1, 2, 3}));
    }
}

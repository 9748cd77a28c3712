package io.jynamo.worker;

import io.jynamo.engine.GgufMetadata;
import io.jynamo.llm.GgufVocab;
import io.jynamo.llm.ModelCard;
import io.jynamo.llm.ModelCards;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** What the frontend needs of a model's files (tokenizer, chat template, EOS), from a GGUF file or a HF directory. */
public final class ModelFiles {
    private ModelFiles() {}

    public static ModelCard card(Path model, String servedName, int contextLength, int kvBlockSize) {
        Clock clock = Clock.systemDefaultZone();
        if (Files.isDirectory(model)) {
            return ModelCards.fromHuggingFaceDirectory(model, servedName, contextLength, kvBlockSize, clock);
        }
        return ModelCards.fromGguf(vocab(model), servedName, contextLength, kvBlockSize, clock);
    }

    /** The text of a chat template file ({@code --chat-template FILE}): readable UTF-8, not empty. */
    public static String chatTemplate(Path file) {
        if (!Files.isRegularFile(file)) {
            throw WorkerException.badInput("chat template not found: " + file);
        }
        String source;
        try {
            source = Files.readString(file);
        } catch (java.io.IOException e) {
            throw WorkerException.badInput("cannot read the chat template " + file + ": " + e.getMessage());
        }
        if (source.isBlank()) {
            throw WorkerException.badInput("the chat template " + file + " is empty");
        }
        return source;
    }

    /** The GGUF file's {@code tokenizer.ggml.*} metadata. */
    public static GgufVocab vocab(Path gguf) {
        try (GgufMetadata f = GgufMetadata.open(gguf)) {
            String p = "tokenizer.ggml.";
            if (!f.has(p + "model") || !f.has(p + "tokens")) {
                throw WorkerException.badInput(gguf + " has no tokenizer (tokenizer.ggml.model/tokens); "
                        + "serve a file converted with its tokenizer, or a Hugging Face directory with tokenizer.json");
            }
            return new GgufVocab(
                    f.getString(p + "model"),
                    f.has(p + "pre") ? f.getString(p + "pre") : null,
                    f.getStringArray(p + "tokens"),
                    f.has(p + "scores") ? f.getFloatArray(p + "scores") : null,
                    f.has(p + "token_type") ? f.getIntArray(p + "token_type") : null,
                    f.has(p + "merges") ? f.getStringArray(p + "merges") : null,
                    f.getInt(p + "bos_token_id", -1),
                    f.getInt(p + "eos_token_id", -1),
                    f.getInt(p + "unknown_token_id", -1),
                    f.getInt(p + "padding_token_id", -1),
                    f.has(p + "add_bos_token") ? f.getBoolean(p + "add_bos_token", false) : null,
                    f.has(p + "add_eos_token") ? f.getBoolean(p + "add_eos_token", false) : null,
                    f.has(p + "add_space_prefix") ? f.getBoolean(p + "add_space_prefix", false) : null,
                    f.has("general.name") ? f.getString("general.name") : null,
                    f.has("tokenizer.chat_template") ? f.getString("tokenizer.chat_template") : null);
        }
    }
}

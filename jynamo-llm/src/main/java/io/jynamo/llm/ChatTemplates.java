package io.jynamo.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.llm.template.HfChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Where chat templates come from: Jinja source, a model directory's tokenizer_config.json or chat_template.jinja, a GGUF vocabulary. */
public final class ChatTemplates {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTemplates() {
    }

    /** A template with no BOS/EOS token text, rendering dates by the system clock. */
    public static ChatTemplate of(String jinjaSource) {
        return of(jinjaSource, "", "", Clock.systemDefaultZone());
    }

    /**
     * @param bosToken what templates see as {@code bos_token}
     * @param eosToken what templates see as {@code eos_token}
     * @param clock    what {@code strftime_now} reads
     */
    public static ChatTemplate of(String jinjaSource, String bosToken, String eosToken, Clock clock) {
        return new HfChatTemplate(jinjaSource, bosToken, eosToken, clock);
    }

    /**
     * The template of a Hugging Face model directory: chat_template.jinja if there is one, else
     * chat_template.json's or tokenizer_config.json's {@code chat_template} (a string, or a list of named
     * templates of which "default" is taken). BOS/EOS texts come from tokenizer_config.json.
     *
     * @return the template, or null when the model has none
     */
    public static ChatTemplate fromModelDirectory(Path dir, Clock clock) {
        Path config = dir.resolve("tokenizer_config.json");
        JsonNode cfg = Files.isRegularFile(config) ? readJson(config) : JSON.createObjectNode();
        String bos = tokenText(cfg.get("bos_token"));
        String eos = tokenText(cfg.get("eos_token"));
        Path jinja = dir.resolve("chat_template.jinja");
        String source;
        if (Files.isRegularFile(jinja)) {
            source = readString(jinja);
        } else if (Files.isRegularFile(dir.resolve("chat_template.json"))) {
            source = templateSource(readJson(dir.resolve("chat_template.json")).get("chat_template"),
                    dir.resolve("chat_template.json"));
        } else {
            source = templateSource(cfg.get("chat_template"), config);
        }
        return source == null ? null : of(source, bos, eos, clock);
    }

    /** The template in a tokenizer_config.json, or null if it has none. */
    public static ChatTemplate fromTokenizerConfig(Path tokenizerConfigJson, Clock clock) {
        JsonNode cfg = readJson(tokenizerConfigJson);
        String source = templateSource(cfg.get("chat_template"), tokenizerConfigJson);
        return source == null ? null
                : of(source, tokenText(cfg.get("bos_token")), tokenText(cfg.get("eos_token")), clock);
    }

    /** The template in a GGUF vocabulary ({@code tokenizer.chat_template}), or null if it has none. */
    public static ChatTemplate fromGguf(GgufVocab vocab, Clock clock) {
        if (vocab.chatTemplate() == null || vocab.chatTemplate().isBlank()) {
            return null;
        }
        String[] t = vocab.tokens();
        return of(vocab.chatTemplate(), vocab.bosId() >= 0 ? t[vocab.bosId()] : "",
                vocab.eosId() >= 0 ? t[vocab.eosId()] : "", clock);
    }

    private static String templateSource(JsonNode node, Path file) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText())) {
                    return named.path("template").asText();
                }
            }
            throw LlmException.badInput(file + ": chat_template is a list without a template named \"default\"");
        }
        throw LlmException.badInput(file + ": chat_template is neither a string nor a list of named templates");
    }

    /** A token written as a string or as an AddedToken object ({@code {"content": ...}}). */
    static String tokenText(JsonNode node) {
        if (node == null || node.isNull()) {
            return "";
        }
        return node.isTextual() ? node.asText() : node.path("content").asText("");
    }

    static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw LlmException.notFound("file not found: " + file);
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw LlmException.badInput(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw LlmException.badInput("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

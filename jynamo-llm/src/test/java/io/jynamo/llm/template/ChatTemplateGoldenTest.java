package io.jynamo.llm.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;
import io.jynamo.llm.ChatTemplate;
import io.jynamo.llm.ChatTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real chat templates render the conversations of chat-templates/cases.json exactly as Hugging Face
 * transformers 5.17.0 did (chat-templates/goldens-transformers.json, made once by render_goldens.py).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatTemplateGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> spec() {
        return read("cases.json");
    }

    @SuppressWarnings("unchecked")
    static Stream<String> goldenKeys() {
        return ((Map<String, Object>) read("goldens-transformers.json").get("goldens")).keySet().stream();
    }

    static Map<String, Object> read(String name) {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/chat-templates/" + name)) {
            return JSON.readValue(in, new TypeReference<>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String template(String name) {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/chat-templates/" + name + ".jinja")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @MethodSource("goldenKeys")
    void rendersAsTransformers(String key) {
        Map<String, Object> spec = spec();
        Map<String, Object> golden = (Map<String, Object>) ((Map<String, Object>) read("goldens-transformers.json")
                .get("goldens")).get(key);
        String[] parts = key.split("\\|");
        String name = parts[0];
        String caseName = parts[1];
        boolean agp = parts[2].equals("agp=true");
        Map<String, Object> opts = (Map<String, Object>) ((Map<String, Object>) spec.get("templates")).get(name);
        String conv = caseName.equals("tools_defined_no_calls") ? "basic" : caseName;
        List<Map<String, Object>> messages = (List<Map<String, Object>>)
                ((Map<String, Object>) spec.get("conversations")).get(conv);
        List<Map<String, Object>> tools = caseName.startsWith("tools")
                ? (List<Map<String, Object>>) spec.get("tools") : null;
        Clock clock = Clock.fixed(LocalDateTime.parse((String) spec.get("now")).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        ChatTemplate t = ChatTemplates.of(template(name), (String) opts.getOrDefault("bos_token", ""),
                (String) opts.getOrDefault("eos_token", ""), clock);
        Map<String, Object> extra = (Map<String, Object>) opts.getOrDefault("extra", Map.of());
        if (golden.containsKey("error")) {
            RequestException e = assertThrows(RequestException.class, () -> t.render(messages, tools, agp, extra));
            assertEquals(ErrorCategory.BAD_REQUEST, e.category());
            assertEquals(golden.get("error"), e.getMessage());
        } else {
            assertEquals(golden.get("rendered"), t.render(messages, tools, agp, extra), key);
        }
    }
}

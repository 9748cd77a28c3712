package io.jynamo.llm;

import java.util.List;
import java.util.Map;

/**
 * A model's Jinja chat template (from tokenizer_config.json, chat_template.jinja or GGUF
 * {@code tokenizer.chat_template}), rendered as Hugging Face transformers' apply_chat_template does.
 * Thread-safe.
 */
public interface ChatTemplate {
    /**
     * Renders a conversation.
     *
     * @param messages            OpenAI-shaped messages as parsed from JSON ({@code role}, {@code content}
     *                            as a string or a list of parts, optional {@code name}, {@code tool_calls},
     *                            {@code tool_call_id}); passed to the template as they are
     * @param tools               OpenAI tool definitions, or null
     * @param addGenerationPrompt end with the assistant header so the model writes the answer
     * @param extraContext        further template variables (e.g. {@code enable_thinking}), or empty
     * @throws io.jynamo.api.RequestException BAD_REQUEST with the template's message when the template
     *                                        raises (raise_exception) or cannot render these messages
     */
    String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools, boolean addGenerationPrompt,
                  Map<String, Object> extraContext);
}

package io.jynamo.frontend;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;
import io.jynamo.llm.ChatTemplate;

import java.util.List;
import java.util.Map;

/**
 * TEST CHAT TEMPLATE (stands in for a Jinja template): ChatML after a BOS, as
 * {@code <s><|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n}. Like templates that raise, it
 * refuses a conversation whose last message is from the assistant when a generation prompt is asked.
 */
public final class ChatMlTemplate implements ChatTemplate {
    @Override
    public String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         boolean addGenerationPrompt, Map<String, Object> extraContext) {
        StringBuilder out = new StringBuilder("<s>");
        for (Map<String, Object> m : messages) {
            out.append("<|im_start|>").append(m.get("role")).append('\n').append(m.get("content"))
                    .append("<|im_end|>\n");
        }
        if (addGenerationPrompt) {
            if ("assistant".equals(messages.getLast().get("role")) && Boolean.TRUE.equals(extraContext.get("strict"))) {
                throw new RequestException(ErrorCategory.BAD_REQUEST, "the conversation already ends with the assistant");
            }
            out.append("<|im_start|>assistant\n");
        }
        return out.toString();
    }
}

package io.jynamo.frontend.openai;

import java.util.List;
import java.util.Map;

/**
 * A chat or completions request after parsing, before the model's tokenizer sees it. Sampling knobs
 * are null when absent (the engine's defaults apply).
 *
 * @param chat         true for /v1/chat/completions
 * @param messages     chat messages (content flattened to a string), null for completions
 * @param tools        chat tool definitions, or null
 * @param templateArgs extra chat template variables ({@code chat_template_kwargs}), or empty
 * @param prompts      completions prompts (one choice group each), empty for chat
 * @param maxTokens    max_tokens / max_completion_tokens, or null = the rest of the context
 * @param topLogprobs  alternatives per position, or 0
 */
public record GenerationRequest(boolean chat, String model, List<Map<String, Object>> messages,
                                List<Map<String, Object>> tools, Map<String, Object> templateArgs,
                                List<Prompt> prompts, Integer maxTokens, int minTokens, int n,
                                Double temperature, Double topP, Integer topK, Double minP, Long seed,
                                Double presencePenalty, Double frequencyPenalty, Double repetitionPenalty,
                                List<String> stop, int[] stopTokenIds, boolean ignoreEos, boolean logprobs,
                                int topLogprobs, boolean stream, boolean includeUsage) {
}

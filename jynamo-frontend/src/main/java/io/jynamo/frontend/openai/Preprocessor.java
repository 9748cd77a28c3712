package io.jynamo.frontend.openai;

import io.jynamo.api.ErrorCategory;
import io.jynamo.api.request.OutputOptions;
import io.jynamo.api.request.PreprocessedRequest;
import io.jynamo.api.request.SamplingOptions;
import io.jynamo.api.request.StopConditions;
import io.jynamo.frontend.FrontendException;
import io.jynamo.llm.ModelCard;
import io.jynamo.llm.Tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a parsed request into engine requests, one per prompt: renders the chat template, tokenizes,
 * and checks the prompt and max_tokens against the model's context (max_tokens absent = the rest of
 * the context, as vLLM does).
 */
public final class Preprocessor {
    /** Most choices (prompts × n) one request may ask for. */
    public static final int MAX_CHOICES = 1024;

    private Preprocessor() {
    }

    /**
     * @param idBase the engine request ids are {@code idBase} for one prompt, {@code idBase.i} for several
     */
    public static List<PreprocessedRequest> prepare(GenerationRequest r, ModelCard card, String idBase) {
        if (!r.chat() && (long) r.prompts().size() * Math.max(1, r.n()) > MAX_CHOICES) {
            throw FrontendException.badField("prompt", "prompts × n may be at most " + MAX_CHOICES + ", got "
                    + r.prompts().size() + " × " + r.n());
        }
        List<int[]> prompts = r.chat() ? List.of(chatPrompt(r, card)) : completionPrompts(r, card.tokenizer());
        SamplingOptions sampling = sampling(r, card.samplingDefaults());
        OutputOptions output = new OutputOptions(r.logprobs(), r.topLogprobs());
        List<PreprocessedRequest> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[] ids = prompts.get(i);
            StopConditions stop = new StopConditions(maxTokens(r, card, ids.length), r.minTokens(),
                    r.stopTokenIds(), r.ignoreEos());
            String id = prompts.size() == 1 ? idBase : idBase + "." + i;
            out.add(new PreprocessedRequest(id, card.servedName(), ids, sampling, stop, output, r.n()));
        }
        return out;
    }

    private static int[] chatPrompt(GenerationRequest r, ModelCard card) {
        if (card.chatTemplate() == null) {
            throw FrontendException.badField("messages", "model '" + card.servedName()
                    + "' has no chat template; use /v1/completions");
        }
        String text = card.chatTemplate().render(r.messages(), r.tools(), true, r.templateArgs());
        // Hugging Face tokenizes apply_chat_template's output without special tokens: templates write
        // their own BOS. Add it only when the model has one and the template left it out.
        String bos = card.bosToken();
        boolean addSpecial = !bos.isEmpty() && !text.startsWith(bos);
        int[] ids = card.tokenizer().encode(text, addSpecial);
        if (ids.length == 0) {
            throw FrontendException.badField("messages", "the rendered conversation is empty");
        }
        return ids;
    }

    private static List<int[]> completionPrompts(GenerationRequest r, Tokenizer tokenizer) {
        List<int[]> out = new ArrayList<>(r.prompts().size());
        int vocab = tokenizer.vocabSize();
        for (Prompt p : r.prompts()) {
            int[] ids = switch (p) {
                case Prompt.Text t -> tokenizer.encode(t.text(), true);
                case Prompt.Ids given -> given.ids();
            };
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw FrontendException.badField("prompt", "token id " + id + " is outside the vocabulary (0.."
                            + (vocab - 1) + ")");
                }
            }
            if (ids.length == 0) {
                throw FrontendException.badField("prompt", "the prompt tokenizes to nothing");
            }
            out.add(ids);
        }
        return out;
    }

    private static int maxTokens(GenerationRequest r, ModelCard card, int promptLength) {
        int context = card.contextLength();
        if (promptLength >= context) {
            throw FrontendException.badField(r.chat() ? "messages" : "prompt", "the prompt (" + promptLength
                    + " tokens) does not fit the model's context length of " + context + " tokens");
        }
        if (r.maxTokens() == null) {
            return context - promptLength;
        }
        int max = r.maxTokens();
        if (max < 1) {
            throw FrontendException.badField("max_tokens", "'max_tokens' must be at least 1, got " + max);
        }
        if ((long) promptLength + max > context) {
            throw FrontendException.badField("max_tokens", "the prompt (" + promptLength + " tokens) + max_tokens ("
                    + max + ") exceeds the model's context length of " + context + " tokens");
        }
        return max;
    }

    /** The request's sampling fields; each one it leaves out takes the model's default ({@link ModelCard#samplingDefaults}). */
    private static SamplingOptions sampling(GenerationRequest r, SamplingOptions d) {
        if (r.topK() != null && r.topK() < -1) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST, "'top_k' must be -1, 0 or positive", "top_k", null);
        }
        return new SamplingOptions(f(r.temperature(), d.temperature()), r.topK() == null ? d.topK() : r.topK(),
                f(r.topP(), d.topP()), f(r.minP(), d.minP()), r.seed(), f(r.repetitionPenalty(), d.repetitionPenalty()),
                f(r.frequencyPenalty(), d.frequencyPenalty()), f(r.presencePenalty(), d.presencePenalty()));
    }

    private static float f(Double v, float otherwise) {
        return v == null ? otherwise : (float) v.doubleValue();
    }
}

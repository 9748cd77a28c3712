package io.jynamo.frontend.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jynamo.api.ErrorCategory;
import io.jynamo.frontend.FrontendException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses chat and completions bodies into {@link GenerationRequest}s. Unknown fields are ignored;
 * known ones of the wrong type or shape are a 400 naming the field. Ranges the engine contract
 * checks (temperature, top_p, n, …) are left to its records.
 */
public final class RequestParser {
    static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final int MAX_STOPS = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Where Jackson names its own settings in a message: "(1000, from `StreamReadConstraints.get…()`)". */
    private static final java.util.regex.Pattern JACKSON_INTERNALS =
            java.util.regex.Pattern.compile(", from `[^`]*`|\\s*at \\[Source: [^\\]]*\\]|\\s*\\[Source: [^\\]]*\\]");

    private RequestParser() {
    }

    /** Parses a body as JSON; bytes that are not JSON (or not UTF-8) are a 400. */
    public static ObjectNode parseJson(byte[] body) {
        int invalid = Utf8.firstInvalid(body);
        if (invalid >= 0) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST,
                    "the body is not valid UTF-8 (at byte " + invalid + ")", null, null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST,
                    "the body is not valid JSON: " + jsonProblem(e), null, null);
        } catch (java.io.IOException e) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST, "the body could not be read", null, null);
        }
        if (root == null || !root.isObject()) {
            throw new FrontendException(ErrorCategory.BAD_REQUEST, "the body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    public static GenerationRequest chat(ObjectNode body) {
        Fields f = new Fields(body);
        JsonNode messages = f.get("messages");
        if (messages == null) {
            throw FrontendException.badField("messages", "'messages' is required");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw FrontendException.badField("messages", "'messages' must be a non-empty list");
        }
        List<Map<String, Object>> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            parsed.add(message(messages.get(i), i));
        }
        Integer maxTokens = f.integer("max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = f.integer("max_tokens");
        }
        boolean logprobs = f.bool("logprobs", false);
        int top = f.integer("top_logprobs", 0);
        return common(f, true, parsed, tools(f), templateArgs(f), List.of(), maxTokens, logprobs, top);
    }

    public static GenerationRequest completion(ObjectNode body) {
        Fields f = new Fields(body);
        List<Prompt> prompts = prompts(f.get("prompt"), body.has("prompt"));
        Integer logprobs = f.integer("logprobs");
        return common(f, false, null, null, Map.of(), prompts, f.integer("max_tokens"), logprobs != null,
                logprobs == null ? 0 : logprobs);
    }

    private static GenerationRequest common(Fields f, boolean chat, List<Map<String, Object>> messages,
                                            List<Map<String, Object>> tools, Map<String, Object> templateArgs,
                                            List<Prompt> prompts, Integer maxTokens, boolean logprobs, int top) {
        refuseUnsupported(f, chat);
        String model = f.string("model");
        if (model == null || model.isEmpty()) {
            throw FrontendException.badField("model", "'model' is required");
        }
        if (top < 0) {
            throw FrontendException.badField(chat ? "top_logprobs" : "logprobs",
                    (chat ? "'top_logprobs'" : "'logprobs'") + " must not be negative");
        }
        JsonNode options = f.get("stream_options");
        if (options != null && !options.isObject()) {
            throw FrontendException.badField("stream_options", "'stream_options' must be an object");
        }
        boolean includeUsage = options != null && new Fields(options).bool("include_usage", false);
        return new GenerationRequest(chat, model, messages, tools, templateArgs, prompts, maxTokens,
                f.integer("min_tokens", 0), f.integer("n", 1), f.number("temperature"), f.number("top_p"),
                f.integer("top_k"), f.number("min_p"), f.longInteger("seed"), f.number("presence_penalty"),
                f.number("frequency_penalty"), f.number("repetition_penalty"), f.stringOrList("stop", MAX_STOPS),
                f.intList("stop_token_ids"), f.bool("ignore_eos", false), logprobs, top, f.bool("stream", false),
                includeUsage);
    }

    /**
     * Known OpenAI fields whose meaning this server cannot honour: refused rather than ignored, so a
     * client never gets an answer that silently differs from what it asked for.
     */
    private static void refuseUnsupported(Fields f, boolean chat) {
        if (!chat && f.bool("echo", false)) {
            throw FrontendException.badField("echo", "'echo' is not supported");
        }
        if (!chat && f.string("suffix") != null) {
            throw FrontendException.badField("suffix", "'suffix' is not supported");
        }
        Integer bestOf = f.integer("best_of");
        if (bestOf != null && bestOf != f.integer("n", 1)) {
            throw FrontendException.badField("best_of", "'best_of' other than n is not supported");
        }
        JsonNode bias = f.get("logit_bias");
        if (bias != null && (!bias.isObject() || !bias.isEmpty())) {
            throw FrontendException.badField("logit_bias", "'logit_bias' is not supported");
        }
        JsonNode format = f.get("response_format");
        if (format != null && !(format.isObject() && "text".equals(format.path("type").asText()))) {
            throw FrontendException.badField("response_format", "'response_format' other than {\"type\": \"text\"}"
                    + " is not supported");
        }
    }

    private static Map<String, Object> message(JsonNode m, int i) {
        String where = "messages[" + i + "]";
        if (!m.isObject()) {
            throw FrontendException.badField(where, "'" + where + "' must be an object");
        }
        Fields f = new Fields(m);
        JsonNode roleNode = f.get("role");
        if (roleNode == null || !roleNode.isTextual()) {
            throw FrontendException.badField(where + ".role", "'" + where + ".role' must be a string");
        }
        String role = roleNode.textValue();
        if (!ROLES.contains(role)) {
            throw FrontendException.badField(where + ".role", "unsupported role '" + abbreviate(role)
                    + "' in " + where + "; expected one of system, developer, user, assistant, tool");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", role);
        String content = content(f.get("content"), where);
        boolean hasToolCalls = f.has("tool_calls");
        if (content == null && !(role.equals("assistant") && hasToolCalls)) {
            throw FrontendException.badField(where + ".content", "'" + where + ".content' is required");
        }
        out.put("content", content == null ? "" : content);
        String name = f.string("name");
        if (name != null) {
            out.put("name", name);
        }
        if (hasToolCalls) {
            JsonNode calls = f.get("tool_calls");
            if (!calls.isArray()) {
                throw FrontendException.badField(where + ".tool_calls", "'" + where + ".tool_calls' must be a list");
            }
            out.put("tool_calls", MAPPER.convertValue(calls, List.class));
        }
        String toolCallId = f.string("tool_call_id");
        if (toolCallId != null) {
            out.put("tool_call_id", toolCallId);
        }
        return out;
    }

    /** A string, or a list of text parts joined by newlines (as vLLM does for string-content templates). */
    private static String content(JsonNode c, String where) {
        if (c == null) {
            return null;
        }
        if (c.isTextual()) {
            return c.textValue();
        }
        if (!c.isArray()) {
            throw FrontendException.badField(where + ".content",
                    "'" + where + ".content' must be a string or a list of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : c) {
            JsonNode type = part.get("type");
            JsonNode t = part.get("text");
            if (!part.isObject() || type == null || !"text".equals(type.asText()) || t == null || !t.isTextual()) {
                throw FrontendException.badField(where + ".content",
                        "'" + where + ".content' parts must be {\"type\": \"text\", \"text\": string}; "
                                + "other part types are not supported");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(t.textValue());
        }
        return text.toString();
    }

    private static List<Prompt> prompts(JsonNode p, boolean present) {
        if (p == null) {
            throw FrontendException.badField("prompt", present ? "'prompt' must not be null" : "'prompt' is required");
        }
        if (p.isTextual()) {
            return List.of(text(p.textValue()));
        }
        if (!p.isArray() || p.isEmpty()) {
            throw FrontendException.badField("prompt",
                    "'prompt' must be a non-empty string, list of strings, list of token ids or list of such lists");
        }
        JsonNode first = p.get(0);
        if (first.isIntegralNumber()) {
            return List.of(ids(p));
        }
        List<Prompt> out = new ArrayList<>(p.size());
        for (JsonNode e : p) {
            if (e.isTextual()) {
                out.add(text(e.textValue()));
            } else if (e.isArray() && !e.isEmpty()) {
                out.add(ids(e));
            } else {
                throw FrontendException.badField("prompt",
                        "'prompt' lists must hold non-empty strings or non-empty lists of token ids");
            }
        }
        return out;
    }

    private static Prompt text(String s) {
        if (s.isEmpty()) {
            throw FrontendException.badField("prompt", "'prompt' must not be empty");
        }
        return new Prompt.Text(s);
    }

    private static Prompt ids(JsonNode list) {
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode v = list.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
                throw FrontendException.badField("prompt", "token ids in 'prompt' must be non-negative integers");
            }
            ids[i] = v.intValue();
        }
        return new Prompt.Ids(ids);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tools(Fields f) {
        JsonNode tools = f.get("tools");
        if (tools == null) {
            return null;
        }
        if (!tools.isArray()) {
            throw FrontendException.badField("tools", "'tools' must be a list");
        }
        for (JsonNode t : tools) {
            if (!t.isObject()) {
                throw FrontendException.badField("tools", "'tools' must be a list of objects");
            }
        }
        return (List<Map<String, Object>>) (List<?>) MAPPER.convertValue(tools, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> templateArgs(Fields f) {
        JsonNode args = f.get("chat_template_kwargs");
        if (args == null) {
            return Map.of();
        }
        if (!args.isObject()) {
            throw FrontendException.badField("chat_template_kwargs", "'chat_template_kwargs' must be an object");
        }
        return MAPPER.convertValue(args, Map.class);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /**
     * What is wrong with the body, in words for a user: the parser's message without its internals
     * (setting names, source descriptions), and where it is when the parser says.
     */
    static String jsonProblem(JacksonException e) {
        String original = firstLine(e.getOriginalMessage());
        String message = original.startsWith("Trailing token") ? "more content follows the JSON value"
                : JACKSON_INTERNALS.matcher(original).replaceAll("");
        var at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return message;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}

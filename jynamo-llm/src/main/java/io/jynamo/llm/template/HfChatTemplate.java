package io.jynamo.llm.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.jynamo.api.ErrorCategory;
import io.jynamo.api.RequestException;
import io.jynamo.llm.ChatTemplate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.CompositeELResolver;

/**
 * A Hugging Face chat template rendered with Jinjava configured as transformers configures Jinja:
 * trim_blocks and lstrip_blocks on, loop controls, raise_exception and strftime_now as globals, its
 * tojson, and Python's string and dict methods.
 */
public final class HfChatTemplate implements ChatTemplate {
    private static final Jinjava JINJAVA = newJinjava();

    private final String source;
    private final String adapted;
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;

    public HfChatTemplate(String source, String bosToken, String eosToken, Clock clock) {
        // Jinja (keep_trailing_newline=False) drops one newline at the end of the source, not of the output.
        String src = Objects.requireNonNull(source, "source");
        this.source = src;
        String trimmed = src.endsWith("\r\n") ? src.substring(0, src.length() - 2)
                : src.endsWith("\n") ? src.substring(0, src.length() - 1) : src;
        this.adapted = JinjaSyntax.adapt(trimmed);
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Jinjava newJinjava() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withKeepTrailingNewline(true)
                .withFailOnUnknownTokens(false)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withIterateOverMapKeys(true)
                        .withEvaluateMapKeys(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        Jinjava j = new Jinjava(config);
        try {
            j.registerFunction(new ELFunctionDefinition("", "raise_exception",
                    TemplateFunctions.class.getMethod("raiseException", Object.class)));
            j.registerFunction(new ELFunctionDefinition("", "strftime_now",
                    TemplateFunctions.class.getMethod("strftimeNow", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        j.registerFilter(new ToJsonFilter());
        j.registerExpTest(new IterableTest());
        return j;
    }

    public String source() {
        return source;
    }

    @Override
    public String render(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                         boolean addGenerationPrompt, Map<String, Object> extraContext) {
        Map<String, Object> ctx = new HashMap<>();
        // So that "strftime_now is defined" holds, as for Jinja's globals; calls go to the registered functions.
        ctx.put("strftime_now", "strftime_now");
        ctx.put("raise_exception", "raise_exception");
        ctx.put("bos_token", bosToken);
        ctx.put("eos_token", eosToken);
        if (extraContext != null) {
            ctx.putAll(extraContext);
        }
        ctx.put("messages", messages);
        if (tools != null) {
            ctx.put("tools", tools);
        }
        ctx.put("add_generation_prompt", addGenerationPrompt);
        TemplateFunctions.CLOCK.set(clock);
        TemplateFunctions.RAISED.remove();
        RenderResult result;
        try {
            result = JINJAVA.renderForResult(adapted, ctx);
        } catch (RuntimeException e) {
            String raised = TemplateFunctions.RAISED.get();
            throw new RequestException(ErrorCategory.BAD_REQUEST,
                    raised != null ? raised : "chat template failed: " + e.getMessage());
        } finally {
            TemplateFunctions.CLOCK.remove();
        }
        String raised = TemplateFunctions.RAISED.get();
        TemplateFunctions.RAISED.remove();
        if (raised != null) {
            throw new RequestException(ErrorCategory.BAD_REQUEST, raised);
        }
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new RequestException(ErrorCategory.BAD_REQUEST,
                        "chat template failed at line " + e.getLineno() + ": " + e.getMessage());
            }
        }
        return result.getOutput();
    }
}

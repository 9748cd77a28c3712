package io.jynamo.llm.template;

import java.time.Clock;
import java.time.LocalDateTime;

/**
 * The globals transformers gives chat templates, as static methods Jinjava can call. The clock and the
 * raised message are per render, held in thread locals that {@link HfChatTemplate} sets around it.
 */
public final class TemplateFunctions {
    static final ThreadLocal<Clock> CLOCK = ThreadLocal.withInitial(Clock::systemDefaultZone);
    static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    private TemplateFunctions() {
    }

    /** Thrown by raise_exception; the render turns it into a RequestException with the template's message. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message, null, false, false);
        }
    }

    public static Object raiseException(Object message) {
        String m = String.valueOf(message);
        if (RAISED.get() == null) {
            RAISED.set(m);
        }
        throw new TemplateRaised(m);
    }

    /** Python's {@code datetime.now().strftime(format)}. */
    public static String strftimeNow(String format) {
        return Strftime.format(LocalDateTime.now(CLOCK.get()), format);
    }
}

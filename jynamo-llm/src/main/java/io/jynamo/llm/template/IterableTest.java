package io.jynamo.llm.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.Map;

/** Jinja's {@code is iterable}: strings are iterable in Python (Jinjava says they are not). */
final class IterableTest implements ExpTest {
    @Override
    public String getName() {
        return "iterable";
    }

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
        return var instanceof CharSequence || var instanceof Iterable<?> || var instanceof Map<?, ?>
                || (var != null && var.getClass().isArray());
    }
}

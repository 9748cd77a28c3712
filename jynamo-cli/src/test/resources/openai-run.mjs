// Drives a running `jynamo run` (a real, random-weight model) with the official openai npm client and
// prints one JSON object of what it saw. Usage: OPENAI_MJS=<node_modules/openai/index.mjs> node openai-run.mjs <base-url> <model>
import { pathToFileURL } from "node:url";

const { default: OpenAI } = await import(pathToFileURL(process.env.OPENAI_MJS).href);
const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: "unused", maxRetries: 0, timeout: 60000 });
const messages = [{ role: "system", content: "You are terse." }, { role: "user", content: "Name three colours." }];
const greedy = { temperature: 0, max_tokens: 12 };
const out = {};

const chat = await client.chat.completions.create({ model, messages, ...greedy });
out.chat = { content: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage,
  object: chat.object, role: chat.choices[0].message.role };

let streamed = "";
let usage = null;
let finish = null;
const stream = await client.chat.completions.create({ model, messages, ...greedy, stream: true,
  stream_options: { include_usage: true } });
for await (const chunk of stream) {
  if (chunk.usage) usage = chunk.usage;
  for (const c of chunk.choices) {
    streamed += c.delta?.content ?? "";
    if (c.finish_reason) finish = c.finish_reason;
  }
}
out.chatStream = { content: streamed, finish, usage };

const two = await client.chat.completions.create({ model, messages, n: 2, max_tokens: 6, temperature: 1, seed: 7 });
out.n2 = two.choices.map((c) => ({ index: c.index, finish: c.finish_reason }));

const lp = await client.chat.completions.create({ model, messages, ...greedy, logprobs: true, top_logprobs: 3 });
out.logprobs = { count: lp.choices[0].logprobs.content.length, tokens: lp.usage.completion_tokens,
  top: lp.choices[0].logprobs.content[0].top_logprobs.length, first: lp.choices[0].logprobs.content[0].logprob };

// A stop string taken from the greedy answer (its first occurrence, not only spaces): the answer must
// end just before it. Reported as missing when the answer is too short to hold one.
const text = chat.choices[0].message.content;
let stopAt = null;
for (let i = Math.floor(text.length / 3); i + 3 <= text.length && stopAt === null; i++) {
  const w = text.slice(i, i + 3);
  if (w.trim().length > 0 && text.indexOf(w) === i) stopAt = w;
}
if (stopAt !== null) {
  const stopped = await client.chat.completions.create({ model, messages, ...greedy, stop: [stopAt] });
  out.stop = { stopString: stopAt, expected: text.slice(0, text.indexOf(stopAt)),
    content: stopped.choices[0].message.content, finish: stopped.choices[0].finish_reason };
}

const completion = await client.completions.create({ model, prompt: "Once upon a time", max_tokens: 5, temperature: 0 });
out.completion = { finish: completion.choices[0].finish_reason, tokens: completion.usage.completion_tokens,
  object: completion.object };

out.models = (await client.models.list()).data.map((m) => m.id);

try {
  await client.chat.completions.create({ model, messages: [], max_tokens: 5 });
  out.error = { status: 0 };
} catch (e) {
  out.error = { status: e.status, type: e.error?.type ?? e.type ?? null, message: e.error?.message ?? e.message };
}
process.stdout.write(JSON.stringify(out) + "\n");

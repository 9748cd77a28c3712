// Drives a running Jynamo frontend with the official openai npm client and prints one JSON object
// of what it saw. Usage: OPENAI_MJS=<node_modules/openai/index.mjs> node drive.mjs <base-url>
import { pathToFileURL } from "node:url";

const { default: OpenAI } = await import(pathToFileURL(process.env.OPENAI_MJS).href);
const client = new OpenAI({ baseURL: process.argv[2], apiKey: "unused", maxRetries: 0, timeout: 20000 });
const messages = [{ role: "user", content: "Hello from node" }];
const out = {};

const chat = await client.chat.completions.create({ model: "echo", messages });
out.chat = { content: chat.choices[0].message.content, finish: chat.choices[0].finish_reason, usage: chat.usage,
  object: chat.object };

let streamed = "";
let usage = null;
let finish = null;
const stream = await client.chat.completions.create({ model: "echo", messages, stream: true,
  stream_options: { include_usage: true } });
for await (const chunk of stream) {
  if (chunk.usage) usage = chunk.usage;
  for (const c of chunk.choices) {
    streamed += c.delta?.content ?? "";
    if (c.finish_reason) finish = c.finish_reason;
  }
}
out.chatStream = { content: streamed, finish, usage };

const two = await client.chat.completions.create({ model: "echo", messages, n: 2, max_tokens: 5 });
out.n2 = two.choices.map((c) => ({ index: c.index, content: c.message.content, finish: c.finish_reason }));

const lp = await client.chat.completions.create({ model: "echo", messages, logprobs: true, top_logprobs: 1,
  max_tokens: 4 });
out.logprobs = lp.choices[0].logprobs.content.map((t) => ({ token: t.token, logprob: t.logprob, bytes: t.bytes,
  top: t.top_logprobs.length }));

const stop = await client.chat.completions.create({ model: "echo", messages, stop: ["from"] });
out.stop = { content: stop.choices[0].message.content, finish: stop.choices[0].finish_reason };

const completion = await client.completions.create({ model: "echo", prompt: "Once upon", max_tokens: 5 });
out.completion = { text: completion.choices[0].text, finish: completion.choices[0].finish_reason };

let ctext = "";
const cstream = await client.completions.create({ model: "echo", prompt: "stream me", stream: true });
for await (const chunk of cstream) {
  for (const c of chunk.choices) ctext += c.text;
}
out.completionStream = ctext;

const models = [];
for await (const m of client.models.list()) models.push(m.id);
out.models = models;

try {
  await client.chat.completions.create({ model: "no-such-model", messages });
  out.error = { status: 0 };
} catch (e) {
  out.error = { status: e.status, type: e.error?.type ?? e.type, message: e.message,
    requestId: e.headers?.get?.("x-request-id") ?? null };
}

console.log(JSON.stringify(out));

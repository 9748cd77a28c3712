package io.jynamo.llm.bench;

import io.jynamo.llm.TestVocabs;
import io.jynamo.llm.Tokenizer;
import io.jynamo.llm.UnicodeCorpus;
import io.jynamo.llm.tokenizer.HfTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encode throughput on a prompt of about 4k tokens, one thread: HF tokenizer.json files through DJL
 * ("hf-djl:") and through this module's byte-level BPE ("hf:", what Tokenizers.fromHuggingFace gives),
 * and GGUF vocabularies. Not a test (timings assert nothing); run with
 * {@code java -cp <test classpath> io.jynamo.llm.bench.TokenizerThroughput}.
 */
public final class TokenizerThroughput {
    private TokenizerThroughput() {
    }

    public static void main(String[] args) {
        String prompt = prompt();
        List<String[]> rows = new ArrayList<>();
        for (String name : new String[] {"hf-djl:llama3", "hf-djl:qwen3", "hf:llama3", "hf:qwen3", "gguf:llama-bpe",
                "gguf:qwen2", "gguf:llama-spm"}) {
            Tokenizer tok = name.startsWith("hf-djl:")
                    ? HfTokenizer.load(TestVocabs.assets().hfTokenizer(name.substring(7)).resolve("tokenizer.json"))
                    : name.startsWith("hf:") ? TestVocabs.hf(name.substring(3)) : TestVocabs.gguf(name.substring(5));
            int tokens = tok.encode(prompt, false).length;
            long deadline = System.nanoTime() + 3_000_000_000L; // warm-up
            while (System.nanoTime() < deadline) {
                tok.encode(prompt, false);
            }
            int reps = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 3_000_000_000L) {
                tok.encode(prompt, false);
                reps++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double perSecond = tokens * (double) reps / seconds;
            rows.add(new String[] {name, String.valueOf(tokens), String.format("%.3f", seconds * 1000 / reps),
                    String.format("%.2f", perSecond / 1e6)});
        }
        System.out.printf("%-16s %8s %10s %12s%n", "tokenizer", "tokens", "ms/prompt", "Mtokens/s");
        for (String[] r : rows) {
            System.out.printf("%-16s %8s %10s %12s%n", (Object[]) r);
        }
    }

    /** About 4k tokens: llama.cpp's test texts, the unicode corpus and plain English prose, mixed. */
    static String prompt() {
        StringBuilder sb = new StringBuilder();
        for (TestVocabs.Case c : TestVocabs.cases("llama-bpe")) {
            sb.append(c.text()).append('\n');
        }
        for (String t : UnicodeCorpus.TEXTS) {
            sb.append(t).append('\n');
        }
        String prose = "The scheduler admits a request when its prompt fits in the free KV blocks; otherwise it waits "
                + "in a bounded queue. Each step, running sequences decode one token while new ones prefill in chunks "
                + "of at most 512 tokens, so time to first token stays low under load. ";
        while (TestVocabs.gguf("llama-bpe").encode(sb.toString(), false).length < 4000) {
            sb.append(prose).append(sb.length() % 7).append(' ');
        }
        return sb.toString();
    }
}

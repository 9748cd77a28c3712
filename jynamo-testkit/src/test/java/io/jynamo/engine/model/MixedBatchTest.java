package io.jynamo.engine.model;

import io.jynamo.engine.Model;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.kv.BlockTable;
import io.jynamo.engine.kv.KvCache;
import io.jynamo.engine.kv.KvCacheConfig;
import io.jynamo.engine.model.forward.Transformer;
import io.jynamo.engine.parallel.WorkerPool;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Tokens of several sequences in one forward pass (continuous batching) give every sequence the
 * very bits it gets alone: prefill chunks of two prompts together, then a decode step of both.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedBatchTest {
    static final int[] A = TestModels.PROMPT;
    static final int[] B = {1, 3087, 263, 931, 29892, 727, 471};

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_K", "F16"})
    void sequencesBatchedTogetherGetWhatTheyGetAlone(GgmlType type) {
        try (Model m = ModelLoader.load(TestModels.gguf(ModelFamily.QWEN2, type));
             WorkerPool pool = new WorkerPool(2);
             KvCache cache = new KvCache(new KvCacheConfig(m.config().layers(), m.config().kvHeads(),
                     m.config().headDim(), 16, 16))) {
            int vocab = m.config().vocabSize();
            Transformer tf = new Transformer(m.config(), m.weights(), pool, 64, 256);

            BlockTable ta = new BlockTable();
            BlockTable tb = new BlockTable();
            ta.ensureCapacity(cache, A.length + 1);
            tb.ensureCapacity(cache, B.length + 1);
            float[] aloneA = new float[vocab];
            float[] aloneB = new float[vocab];
            tf.forward(A, 0, A.length, 0, cache, ta, aloneA);
            tf.forward(B, 0, B.length, 0, cache, tb, aloneB);
            float[] nextA = new float[vocab];
            float[] nextB = new float[vocab];
            tf.forward(new int[] {42}, 0, 1, A.length, cache, ta, nextA);
            tf.forward(new int[] {43}, 0, 1, B.length, cache, tb, nextB);
            ta.release(cache);
            tb.release(cache);

            ta.ensureCapacity(cache, A.length + 1);
            tb.ensureCapacity(cache, B.length + 1);
            int n = A.length + B.length;
            int[] tokens = new int[n];
            int[] positions = new int[n];
            BlockTable[] tables = new BlockTable[n];
            // Interleave the two prompts, as a scheduler's chunks may.
            int ia = 0;
            int ib = 0;
            int[] lastRow = new int[2];
            for (int t = 0; t < n; t++) {
                boolean takeA = ib == B.length || (ia < A.length && t % 2 == 0);
                tokens[t] = takeA ? A[ia] : B[ib];
                positions[t] = takeA ? ia++ : ib++;
                tables[t] = takeA ? ta : tb;
                lastRow[takeA ? 0 : 1] = t;
            }
            float[] both = new float[2 * vocab];
            tf.forward(n, tokens, positions, tables, cache, 2, lastRow, both);
            assertArrayEquals(aloneA, Arrays.copyOfRange(both, 0, vocab), "prompt A");
            assertArrayEquals(aloneB, Arrays.copyOfRange(both, vocab, 2 * vocab), "prompt B");

            tf.forward(2, new int[] {42, 43}, new int[] {A.length, B.length}, new BlockTable[] {ta, tb}, cache, 2,
                    new int[] {0, 1}, both);
            assertArrayEquals(nextA, Arrays.copyOfRange(both, 0, vocab), "decode step of A");
            assertArrayEquals(nextB, Arrays.copyOfRange(both, vocab, 2 * vocab), "decode step of B");
        }
    }
}

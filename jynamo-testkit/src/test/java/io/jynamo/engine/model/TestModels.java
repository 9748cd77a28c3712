package io.jynamo.engine.model;

import io.jynamo.engine.GreedyGenerator;
import io.jynamo.engine.Model;
import io.jynamo.engine.ModelLoader;
import io.jynamo.engine.GgmlType;
import io.jynamo.testkit.ModelFamily;
import io.jynamo.testkit.TestAssets;
import io.jynamo.testkit.TestModelGenerator;
import io.jynamo.testkit.TestModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Generates the tiny test models once per test run, under target/test-models, and runs them. */
public final class TestModels {
    public static final Path DIR = Path.of("target/test-models").toAbsolutePath();
    /** A prompt of ordinary ids, valid in every vocabulary. */
    public static final int[] PROMPT = {1, 450, 4996, 17354, 1701, 432, 17204, 975, 278, 17366, 11203, 29889};

    private TestModels() {}

    public static TestModelGenerator generator() {
        return new TestModelGenerator(TestAssets.locate());
    }

    public static synchronized Path gguf(ModelFamily family, GgmlType type) {
        Path file = DIR.resolve(family.name() + "-" + type.name().toLowerCase(Locale.ROOT) + ".gguf");
        if (!Files.exists(file)) {
            generator().writeGguf(TestModelSpec.tiny(family, 7), type, file);
        }
        return file;
    }

    public static synchronized Path huggingFace(ModelFamily family, GgmlType dtype, long shardBytes) {
        Path dir = DIR.resolve(family.name() + "-hf-" + dtype.name().toLowerCase(Locale.ROOT)
                + (shardBytes > 0 ? "-sharded" : ""));
        if (!Files.exists(dir.resolve("config.json"))) {
            generator().writeHuggingFace(TestModelSpec.tiny(family, 7), dtype, dir, shardBytes);
        }
        return dir;
    }

    /** Greedy generation with the given options. */
    public static GreedyGenerator.Result generate(Path model, int[] prompt, int maxTokens, GreedyGenerator.Options o) {
        try (Model m = ModelLoader.load(model); GreedyGenerator g = new GreedyGenerator(m, o)) {
            return g.generate(prompt, maxTokens);
        }
    }

    public static GreedyGenerator.Options options(int threads) {
        return new GreedyGenerator.Options(threads, 512, 256, 16, 0);
    }

    /** Largest absolute difference. */
    public static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** log-softmax, for comparing against an oracle that reports log-probabilities. */
    public static float[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (float) (x[i] - lse);
        }
        return r;
    }

    /** Standard deviation, to state tolerances relative to the spread of the logits. */
    public static double std(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double s = 0;
        for (float v : x) {
            s += (v - mean) * (v - mean);
        }
        return Math.sqrt(s / x.length);
    }
}

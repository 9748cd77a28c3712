package io.jynamo.engine.format.gguf;

import io.jynamo.engine.GgmlType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Builds small GGUF files with every kind of metadata and several tensor types. */
final class GgufTestFiles {
    private GgufTestFiles() {}

    /** A writer holding one value of every scalar type and an array of every element type. */
    static GgufWriter allValueTypes() {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", "tëst ✓ 模型");
        w.put("t.u8", GgufValue.ofUint8(255));
        w.put("t.i8", GgufValue.ofInt8(-128));
        w.put("t.u16", GgufValue.ofUint16(65535));
        w.put("t.i16", GgufValue.ofInt16(-32768));
        w.putUint32("t.u32", 0xFFFF_FFFFL);
        w.putInt32("t.i32", Integer.MIN_VALUE);
        w.putFloat32("t.f32", 1.5e-7f);
        w.putBool("t.bool", true);
        w.putString("t.empty", "");
        w.putUint64("t.u64", -1L);
        w.put("t.i64", GgufValue.ofInt64(Long.MIN_VALUE));
        w.put("t.f64", GgufValue.ofFloat64(Math.PI));
        w.put("a.u8", arr(GgufValueType.UINT8, new byte[] {0, 1, (byte) 255}));
        w.put("a.i8", arr(GgufValueType.INT8, new byte[] {-1, 2}));
        w.put("a.u16", arr(GgufValueType.UINT16, new short[] {(short) 65535, 7}));
        w.put("a.i16", arr(GgufValueType.INT16, new short[] {-3}));
        w.put("a.u32", arr(GgufValueType.UINT32, new int[] {-1, 5}));
        w.putInt32Array("a.i32", 1, -2, 3);
        w.putFloat32Array("a.f32", 0.5f, Float.NaN, -0f);
        w.put("a.bool", arr(GgufValueType.BOOL, new boolean[] {true, false, true}));
        w.putStringArray("a.str", "a", "", "ü", "<0xFF>");
        w.put("a.u64", arr(GgufValueType.UINT64, new long[] {-1L, 0}));
        w.put("a.i64", arr(GgufValueType.INT64, new long[] {Long.MAX_VALUE}));
        w.put("a.f64", arr(GgufValueType.FLOAT64, new double[] {1e300, -2}));
        w.put("a.empty", arr(GgufValueType.INT32, new int[0]));
        return w;
    }

    static GgufValue arr(GgufValueType t, Object values) {
        return GgufValue.ofArray(new GgufArray(t, values));
    }

    /** Adds tensors of several types and odd sizes, so padding between them is exercised. */
    static void addTensors(GgufWriter w) {
        w.addTensor("tok_embd.weight", GgmlType.F32, 8, 3);
        w.addTensor("odd.bf16", GgmlType.BF16, 5);
        w.addTensor("blk.0.attn_q.weight", GgmlType.Q8_0, 64, 2);
        w.addTensor("blk.0.f16", GgmlType.F16, 16, 2, 1, 3);
        w.addTensor("blk.0.q4_0", GgmlType.Q4_0, 32);
        w.addTensor("blk.0.q4_k", GgmlType.Q4_K, 256, 1);
        w.addTensor("output.weight", GgmlType.Q6_K, 256, 2);
    }

    /** Random bytes for each tensor of {@code w}, seeded by name. */
    static Map<String, byte[]> randomData(GgufWriter w, Iterable<String> names) {
        Map<String, byte[]> data = new HashMap<>();
        for (String n : names) {
            byte[] b = new byte[Math.toIntExact(w.tensorByteSize(n))];
            new Random(n.hashCode()).nextBytes(b);
            data.put(n, b);
        }
        return data;
    }

    /** A tensor writer that hands over the bytes in uneven pieces, to exercise buffering. */
    static GgufWriter.TensorWriter piecewise(Map<String, byte[]> data) {
        return (name, ch) -> {
            byte[] b = data.get(name);
            int off = 0;
            int step = 1;
            while (off < b.length) {
                int n = Math.min(step, b.length - off);
                ByteBuffer bb = ByteBuffer.wrap(b, off, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                off += n;
                step = step * 3 + 1;
            }
        };
    }

    /** A small valid file with metadata of every type and several tensors. */
    static Map<String, byte[]> writeSmall(Path out) {
        GgufWriter w = allValueTypes();
        addTensors(w);
        Map<String, byte[]> data = randomData(w, java.util.List.of("tok_embd.weight", "odd.bf16",
                "blk.0.attn_q.weight", "blk.0.f16", "blk.0.q4_0", "blk.0.q4_k", "output.weight"));
        w.write(out, piecewise(data));
        return data;
    }
}

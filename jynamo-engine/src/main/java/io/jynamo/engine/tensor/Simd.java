package io.jynamo.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes every kernel uses. A float vector holds {@link #L} lanes (16 on AVX-512, 8 on
 * AVX2); the byte and short species hold the same number of lanes so that one load of packed
 * weights widens into exactly one float vector. Blocks of 16 and 32 values are whole vectors.
 *
 * <p>{@code -Djynamo.simd.bits=256|512} overrides the choice (tests use it to run the other width).
 */
final class Simd {
    static final VectorSpecies<Float> F = floatSpecies();
    static final int L = F.length();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    /** 2^112: rescales an f16 exponent placed in an f32's exponent field (bias 15 vs 127). */
    private static final float F16_EXP_ADJUST = 0x1p112f;

    private Simd() {}

    private static VectorSpecies<Float> floatSpecies() {
        String forced = System.getProperty("jynamo.simd.bits", "");
        int bits = forced.isEmpty() ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(forced);
        // Kernels need 8 or 16 lanes (a byte species of L lanes must exist); narrower machines get
        // the 256-bit shape, which is correct there even where it is not intrinsified.
        return bits >= 512 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    }

    /**
     * Sign-extends L bytes at {@code off} to ints. Measured on JDK 25 (AVX2): B2I then I2F is about
     * twice as fast as B2F in one step, and ZERO_EXTEND_B2I about three times slower than B2I, so
     * kernels sign-extend and mask; they also shift only by constants (a variable vector shift
     * was ~15x slower).
     */
    static IntVector bytesToInts(MemorySegment seg, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, seg, off, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    /** L signed bytes at {@code off} as floats. */
    static FloatVector bytesToFloats(MemorySegment seg, long off) {
        return toFloats(bytesToInts(seg, off));
    }

    static FloatVector toFloats(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /**
     * L IEEE halves at {@code off} as floats. The sign-extended half shifted left by 13 puts the
     * sign at bit 31 and exponent+mantissa at bits 27..13; scaling by 2^112 then fixes the exponent
     * bias, which also makes zeros and subnormals exact. Inf/NaN halves come out as large finite
     * values (weights never hold them).
     */
    static FloatVector halvesToFloats(MemorySegment seg, long off) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, off, LE).convertShape(VectorOperators.S2I, I, 0);
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000).reinterpretAsFloats().mul(F16_EXP_ADJUST);
    }

    /** L bfloat16 values at {@code off} as floats: a bf16 is the upper half of an f32. */
    static FloatVector bf16ToFloats(MemorySegment seg, long off) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, off, LE).convertShape(VectorOperators.S2I, I, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The f16 at {@code off} as a float. */
    static float half(MemorySegment seg, long off) {
        return Float.float16ToFloat(seg.get(I16_LE, off));
    }

    /**
     * Sum of the lanes in a fixed order, through {@code tmp} (at least L floats). reduceLanes(ADD)
     * leaves the order open, and the interpreter and C2 pick different ones, so a row's result
     * would change once its code is hot. One vector store costs C2 far fewer nodes than L lane
     * extracts, which keeps the kernels inside its inlining budget.
     */
    static float sum(float[] tmp, FloatVector v) {
        v.intoArray(tmp, 0);
        return sumAt(tmp, 0);
    }

    /**
     * The fixed-order sum of the L floats at tmp[off ..): kernels that hold several tokens'
     * accumulators store them all first and then sum each here (a scalar method, so it may be left
     * out of line without boxing anything), in exactly the order {@link #sum} uses.
     */
    static float sumAt(float[] tmp, int off) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < L; i += 4) {
            s0 += tmp[off + i];
            s1 += tmp[off + i + 1];
            s2 += tmp[off + i + 2];
            s3 += tmp[off + i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }
}

package io.jynamo.engine.model.forward;

import io.jynamo.engine.ModelConfig;

/** Activation buffers of the forward pass, [maxBatch][width] each, allocated once. */
final class Buffers {
    final float[] x;
    final float[] xb;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] att;
    final float[] tmp;
    final float[] gate;
    final float[] up;

    Buffers(ModelConfig c, int maxBatch) {
        x = new float[maxBatch * c.dim()];
        xb = new float[maxBatch * Math.max(c.dim(), c.qDim())];
        q = new float[maxBatch * c.qDim()];
        k = new float[maxBatch * c.kvDim()];
        v = new float[maxBatch * c.kvDim()];
        att = new float[maxBatch * c.qDim()];
        tmp = new float[maxBatch * c.dim()];
        gate = new float[maxBatch * c.ffnDim()];
        up = new float[maxBatch * c.ffnDim()];
    }

    /** The widest row a matmul reads: what a backend's rounded-input buffer must hold per token. */
    static int widest(ModelConfig c) {
        return Math.max(Math.max(c.dim(), c.qDim()), c.ffnDim());
    }
}

package io.jynamo.engine.model;

/**
 * Llama 3.1's rope scaling: long wavelengths are slowed by {@code factor}, short ones kept, and the
 * band between blended. Hugging Face configs carry the parameters; GGUF files carry the resulting
 * per-pair factors as the tensor rope_freqs.weight. Both end up as these factors.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalContextLength) {

    /** The divisor of each pair's frequency, for head dimension {@code headDim} and rope base {@code theta}. */
    public float[] llama3Factors(int headDim, double theta) {
        float[] out = new float[headDim / 2];
        double lowFreqWavelen = originalContextLength / lowFreqFactor;
        double highFreqWavelen = originalContextLength / highFreqFactor;
        for (int i = 0; i < out.length; i++) {
            // The converter computes the frequencies in float32; do the same so both formats agree.
            float freq = (float) (1.0 / Math.pow(theta, (float) (2 * i) / headDim));
            double wavelen = 2 * Math.PI / freq;
            double f;
            if (wavelen < highFreqWavelen) {
                f = 1;
            } else if (wavelen > lowFreqWavelen) {
                f = factor;
            } else {
                double smooth = (originalContextLength / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                f = 1 / ((1 - smooth) / factor + smooth);
            }
            out[i] = (float) f;
        }
        return out;
    }
}

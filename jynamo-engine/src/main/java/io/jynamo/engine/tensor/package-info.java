/**
 * Weight tensors in their stored formats (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K): encoding,
 * scalar decoding, the rounding llama.cpp applies to matmul inputs, and one vectorised matmul
 * class per format. llama.cpp's CPU arithmetic is the oracle these agree with.
 */
package io.jynamo.engine.tensor;

/**
 * The non-matmul kernels of the forward pass on CPU: rmsnorm, SwiGLU, residual add, softmax, rope
 * and paged attention over the f16 KV cache, vectorised with jdk.incubator.vector. Each kernel has a
 * plain scalar twin that tests compare it with; numerics follow llama.cpp's CPU backend (what it sums
 * in double, we sum in double; what it rounds to f16, we round to f16).
 */
package io.jynamo.engine.kernel;

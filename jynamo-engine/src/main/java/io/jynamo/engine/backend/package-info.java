/**
 * Backends: the kernels of one device kind behind {@link io.jynamo.engine.backend.Backend}, over
 * whole batches of rows, so that the forward pass is written once. {@link io.jynamo.engine.backend.CpuBackend}
 * runs the Vector API kernels of {@code io.jynamo.engine.kernel} and the weight formats' matmuls on
 * a worker pool; a CUDA backend (module jynamo-engine-cuda) and native CPU kernels implement the
 * same interface.
 */
package io.jynamo.engine.backend;

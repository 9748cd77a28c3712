package io.jynamo.engine.model;

import io.jynamo.engine.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * One tensor as a loader found it, whatever the container.
 *
 * @param dims row-major dimensions: the last one is contiguous (GGUF's order reversed)
 */
public record TensorRef(String name, GgmlType type, long[] dims, MemorySegment data) {
}

package io.jynamo.engine.kv;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Zeroed off-heap memory that the operating system commits page by page as it is first touched.
 *
 * <p>{@link Arena#allocate} zeroes what it returns by writing it, which commits every page at once:
 * a KV pool sized for 64 sequences at full context then sits in the RSS although a demo uses a few
 * blocks of it. The C library's {@code calloc} of a large size maps fresh pages, which the kernel
 * hands out already zero, and touches none of them; so the pool costs RAM only as blocks are
 * written (the free list hands out low ids first). Where {@code calloc} cannot be found, the
 * arena's eager allocation is the fallback.
 */
final class LazyMemory {
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> calloc = linker.defaultLookup().find("calloc");
        Optional<MemorySegment> free = linker.defaultLookup().find("free");
        if (calloc.isPresent() && free.isPresent()) {
            CALLOC = linker.downcallHandle(calloc.get(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            FREE = linker.downcallHandle(free.get(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        } else {
            CALLOC = null;
            FREE = null;
        }
    }

    private LazyMemory() {
    }

    /**
     * {@code bytes} of zeroed memory aligned to {@code alignment}, freed when {@code arena} closes.
     *
     * @throws OutOfMemoryError when the memory cannot be had
     */
    static MemorySegment allocate(Arena arena, long bytes, long alignment) {
        if (CALLOC == null) {
            return arena.allocate(bytes, alignment);
        }
        MemorySegment raw;
        try {
            raw = (MemorySegment) CALLOC.invokeExact(1L, bytes + alignment);
        } catch (Throwable t) {
            throw new IllegalStateException("calloc failed", t);
        }
        if (raw.address() == 0) {
            throw new OutOfMemoryError("cannot allocate " + bytes + " bytes off-heap");
        }
        MemorySegment owned = raw.reinterpret(bytes + alignment, arena, LazyMemory::free);
        long skip = (alignment - owned.address() % alignment) % alignment;
        return owned.asSlice(skip, bytes);
    }

    private static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}

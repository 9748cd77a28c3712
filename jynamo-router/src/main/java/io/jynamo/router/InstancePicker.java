package io.jynamo.router;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the instance a request goes to, seeing the request (its tokens and block hashes) and the
 * live candidates with their state. Thread-safe; the candidate list may change between calls
 * (instances come and go). A KV-aware picker is one more implementation of this interface.
 */
public interface InstancePicker {
    /** One of {@code candidates}, which is not empty. */
    Candidate pick(RoutingRequest request, List<Candidate> candidates);

    /** The picker of a mode; {@code random} is used by {@link RouterMode#RANDOM} only (inject a seeded one in tests). */
    static InstancePicker of(RouterMode mode, Random random) {
        return switch (mode) {
            case ROUND_ROBIN -> new RoundRobin();
            case RANDOM -> new RandomPick(random);
        };
    }

    /** Each call takes the next candidate in order: over a stable list, every instance gets its turn. */
    final class RoundRobin implements InstancePicker {
        private final AtomicLong next = new AtomicLong();

        @Override
        public Candidate pick(RoutingRequest request, List<Candidate> candidates) {
            return candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) candidates.size()));
        }
    }

    /** Uniformly random. */
    final class RandomPick implements InstancePicker {
        private final Random random;

        public RandomPick(Random random) {
            this.random = Objects.requireNonNull(random, "random");
        }

        @Override
        public Candidate pick(RoutingRequest request, List<Candidate> candidates) {
            synchronized (random) {
                return candidates.get(random.nextInt(candidates.size()));
            }
        }
    }
}

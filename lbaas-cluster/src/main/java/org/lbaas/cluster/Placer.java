package org.lbaas.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scheduler's placement rule, without ZooKeeper: each instance goes to the live agent with the
 * least load (instances placed on it), ties broken by agent id, never two ordinals of one load
 * balancer on one agent. It updates {@code load} as it places.
 */
final class Placer {

    private Placer() {
    }

    /**
     * Returns the placement a load balancer should have, or empty when {@code current} is right.
     * Agents in {@code expired} (gone for the grace period) are replaced by live ones; missing
     * ordinals are added while live agents remain; a running ordinal is never moved otherwise.
     *
     * @param instances how many instances the load balancer runs
     * @param current the agents placed now, by ordinal (empty when not placed)
     * @param live the registered agents
     * @param expired the agents whose registration is gone for at least the grace period
     * @param load instances per live agent, updated in place
     */
    static Optional<List<String>> place(int instances, List<String> current, Set<String> live, Set<String> expired,
                                        Map<String, Integer> load) {
        List<String> next = new ArrayList<>(current);
        while (next.size() > instances) {
            release(load, next.remove(next.size() - 1));
        }
        for (int k = 0; k < next.size(); k++) {
            if (expired.contains(next.get(k))) {
                Optional<String> other = leastLoaded(live, next, load);
                if (other.isPresent()) {
                    release(load, next.get(k));
                    next.set(k, other.get());
                    load.merge(other.get(), 1, Integer::sum);
                }
            }
        }
        while (next.size() < instances) {
            Optional<String> other = leastLoaded(live, next, load);
            if (other.isEmpty()) {
                break;
            }
            next.add(other.get());
            load.merge(other.get(), 1, Integer::sum);
        }
        return next.equals(current) || next.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(next));
    }

    /** The live agent outside {@code taken} with the least load, ties by id. */
    static Optional<String> leastLoaded(Set<String> live, List<String> taken, Map<String, Integer> load) {
        return live.stream().filter(a -> !taken.contains(a))
                .min(Comparator.<String>comparingInt(a -> load.getOrDefault(a, 0)).thenComparing(Comparator.naturalOrder()));
    }

    private static void release(Map<String, Integer> load, String agent) {
        load.computeIfPresent(agent, (a, n) -> n - 1);
    }
}

package org.lbaas.driver.haproxy.internal.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.lbaas.driver.haproxy.internal.Failures;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.Observation;

/**
 * Observes many load balancers at once on a small pool of daemon threads, created on first use
 * and stopped by {@link #close}.
 */
public final class ObserverPool implements AutoCloseable {

    private final int parallelism;
    private final Object lock = new Object();
    private ExecutorService observers;

    /** @param parallelism the most observations at once ({@code observe_parallelism}) */
    public ObserverPool(int parallelism) {
        this.parallelism = parallelism;
    }

    /**
     * Observes each id, in parallel.
     *
     * @param ids the pools, without duplicates
     * @param observe how one is observed
     * @return the observations of those that run, in the order of {@code ids}
     * @throws DriverException the first failure, later ones suppressed in it
     */
    public Map<UUID, Observation> observeAll(List<UUID> ids, Function<UUID, Optional<Observation>> observe) {
        ExecutorService pool = pool();
        List<Future<Optional<Observation>>> futures = new ArrayList<>();
        for (UUID id : ids) {
            futures.add(pool.submit(() -> observe.apply(id)));
        }
        Map<UUID, Observation> out = new LinkedHashMap<>();
        DriverException failure = null;
        for (int i = 0; i < ids.size(); i++) {
            try {
                Optional<Observation> o = futures.get(i).get();
                UUID id = ids.get(i);
                o.ifPresent(obs -> out.put(id, obs));
            } catch (ExecutionException e) {
                DriverException d = Failures.asDriverException(e.getCause() instanceof RuntimeException r ? r
                        : new IllegalStateException(e.getCause()), "the load balancer's statistics could not be read",
                        "observing pool " + ids.get(i));
                if (failure == null) {
                    failure = d;
                } else {
                    failure.addSuppressed(d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new DriverException("statistics could not be read", "interrupted while observing", true, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private ExecutorService pool() {
        synchronized (lock) {
            if (observers == null) {
                AtomicInteger n = new AtomicInteger();
                observers = Executors.newFixedThreadPool(parallelism, r -> {
                    Thread t = new Thread(r, "lbaas-haproxy-observe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return observers;
        }
    }

    /** Stops the threads; a later {@link #observeAll} starts new ones. */
    @Override
    public void close() {
        synchronized (lock) {
            if (observers != null) {
                observers.shutdownNow();
                observers = null;
            }
        }
    }
}

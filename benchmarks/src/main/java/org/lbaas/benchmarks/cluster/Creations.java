package org.lbaas.benchmarks.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.Pending;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.VipCreate;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * Creates load balancers on a service with parallel clients, as tenants would: each client
 * creates a pool, waits for it, then creates two members and a VIP at once and waits until all
 * three are final; the next load balancer follows. The time runs from the first call to the last
 * load balancer's VIP ACTIVE, and every pool is checked ACTIVE afterwards.
 */
final class Creations {

    static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What a batch took.
     *
     * @param count load balancers created
     * @param nanos from the first call to every VIP ACTIVE
     * @param pools their pool ids
     */
    record Timing(int count, long nanos, List<UUID> pools) {
        Timing {
            pools = List.copyOf(pools);
        }

        double perSecond() {
            return count / (nanos / 1e9);
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private Creations() {
    }

    /**
     * Creates {@code count} load balancers on the subnet.
     *
     * @param service the service
     * @param subnet a subnet the service knows, large enough for the VIPs
     * @param count how many
     * @param clients parallel clients
     * @param limit the whole batch's time limit
     * @return the timing
     * @throws IllegalStateException when a load balancer did not become ACTIVE or the limit passed
     */
    static Timing create(LoadBalancerService service, Subnet subnet, int count, int clients, Duration limit) {
        AtomicInteger next = new AtomicInteger();
        List<UUID> pools = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    while (next.getAndIncrement() < count && System.nanoTime() < deadline) {
                        pools.add(createOne(service, subnet));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client failed after " + pools.size() + " of " + count + " load balancers: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(pools.size() + " of " + count + " load balancers within the limit of " + limit, e);
        } finally {
            pool.shutdownNow();
        }
        long nanos = System.nanoTime() - t0;
        if (pools.size() != count) {
            throw new IllegalStateException(pools.size() + " of " + count + " load balancers within the limit of " + limit);
        }
        for (UUID id : pools) {
            Status s = service.getPool(id).pool().status();
            if (s != Status.ACTIVE) {
                throw new IllegalStateException("pool " + id + " is " + s + " after its VIP became ACTIVE");
            }
        }
        return new Timing(count, nanos, pools);
    }

    private static UUID createOne(LoadBalancerService service, Subnet subnet) {
        UUID id = await(service.createPool(PoolCreate.of(LocalCluster.TENANT, subnet.id(), Protocol.HTTP, LbMethod.ROUND_ROBIN)),
                "pool").id();
        var m1 = service.createMember(MemberCreate.of(LocalCluster.TENANT, id, "10.20.1.7", 8080));
        var m2 = service.createMember(MemberCreate.of(LocalCluster.TENANT, id, "10.20.1.8", 8080));
        var vip = service.createVip(VipCreate.of(LocalCluster.TENANT, subnet.id(), 80, Protocol.HTTP, id));
        await(m1, "member");
        await(m2, "member");
        Vip v = await(vip, "vip");
        if (v.status() != Status.ACTIVE) {
            throw new IllegalStateException("the VIP of pool " + id + " is " + v.status() + ": " + v.statusDescription());
        }
        return id;
    }

    static <T> T await(Pending<T> p, String what) {
        try {
            return p.outcome().toCompletableFuture().get(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the " + what + " did not complete within " + OUTCOME_TIMEOUT + ": " + e, e);
        }
    }
}

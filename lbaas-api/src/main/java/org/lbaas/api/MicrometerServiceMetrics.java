package org.lbaas.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's meters in a Micrometer {@link MeterRegistry}; the only class of this module that
 * names a Micrometer type, loaded only through {@link LoadBalancerService.Builder#meterRegistry}.
 * Meter names and tags are listed in the README's "Metrics" section:
 * <ul>
 *   <li>{@code lbaas.driver.calls} (timer): {@code operation}, {@code result} ({@code success},
 *       {@code error}), {@code exception} (simple class name, {@code none});</li>
 *   <li>{@code lbaas.status.transitions} (counter): {@code kind} (Neutron name), {@code status}
 *       (lower case, {@code deleted} for a removal);</li>
 *   <li>{@code lbaas.service.errors} (counter): {@code exception}, {@code kind};</li>
 *   <li>{@code lbaas.load.balancers} (gauge): {@code status} of the pool;</li>
 *   <li>per deployed pool, refreshed from the driver's {@code observe} every
 *       {@link LoadBalancerService.Builder#poolMetricsInterval}: {@code lbaas.pool.traffic}
 *       (function counter, bytes; {@code direction} in/out), {@code lbaas.pool.connections}
 *       (function counter, total), {@code lbaas.pool.connections.active} (gauge),
 *       {@code lbaas.pool.members} (gauge by {@code health}), all tagged {@code pool_id}.</li>
 * </ul>
 */
final class MicrometerServiceMetrics implements ServiceMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    private final MeterRegistry registry;
    private final Duration poolInterval;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** Gauges of the service as a whole, removed on close. */
    private final List<Meter> serviceGauges = new ArrayList<>();
    /** Last observation of each pool with meters, read by the meters at a scrape. */
    private final Map<UUID, Observation> observed = new ConcurrentHashMap<>();
    /** Guarded by this object's lock, as are the fields below. */
    private final Map<UUID, List<Meter>> poolMeters = new HashMap<>();
    private ScheduledExecutorService refresher;
    private boolean closed;

    private MicrometerServiceMetrics(MeterRegistry registry, Duration poolInterval) {
        this.registry = registry;
        this.poolInterval = poolInterval;
    }

    /** Meters in {@code registry}; per-pool meters every {@code poolInterval}, none when zero. */
    static ServiceMetrics of(Object registry, Duration poolInterval) {
        return new MicrometerServiceMetrics((MeterRegistry) Objects.requireNonNull(registry, "meterRegistry"), poolInterval);
    }

    @Override
    public void driverCall(Operation operation, Throwable failure, long nanos) {
        String exception = failure == null ? "none" : failure.getClass().getSimpleName();
        String result = failure == null ? "success" : "error";
        timers.computeIfAbsent(operation.tag + '/' + exception, k -> Timer.builder("lbaas.driver.calls")
                .description("Calls of the service to its driver")
                .tags("operation", operation.tag, "result", result, "exception", exception)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void deadlineExceeded(DeadlineReason reason) {
        counter("lbaas.driver.deadlines.exceeded", "Changes whose driver call did not finish within the driver deadline",
                "reason", reason.tag).increment();
    }

    @Override
    public void statusChanged(StatusChange change) {
        String status = change.current().map(s -> s.name().toLowerCase(Locale.ROOT)).orElse("deleted");
        String kind = change.kind().wireName();
        counter("lbaas.status.transitions", "Provisioning status changes of objects, by the status reached",
                "kind", kind, "status", status).increment();
    }

    @Override
    public void failed(Throwable failure) {
        String kind = failure instanceof LbaasException e ? e.kind().wireName() : "none";
        counter("lbaas.service.errors", "Calls of the service's API that failed, by exception",
                "exception", failure.getClass().getSimpleName(), "kind", kind).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + Tags.of(tags), k -> Counter.builder(name).description(description)
                .tags(tags).register(registry));
    }

    @Override
    public synchronized void start(Source source) {
        for (Status status : Status.values()) {
            serviceGauges.add(Gauge.builder("lbaas.load.balancers", source, s -> s.loadBalancers(status))
                    .description("Load balancers by the provisioning status of their pool")
                    .tag("status", status.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        if (!poolInterval.isZero()) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "lbaas-metrics");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(() -> refresh(source), 0, poolInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Observes every pool and keeps the meters of those deployed; on the refresher's thread. The
     * driver is called without this object's lock, the meters changed under it.
     */
    void refresh(Source source) {
        try {
            Map<UUID, Observation> now = new HashMap<>();
            Set<UUID> kept = new HashSet<>();
            for (UUID id : source.pools()) {
                try {
                    source.observe(id).ifPresent(o -> now.put(id, o));
                } catch (RuntimeException e) {
                    // Busy or failing driver: keep the last values (a driver failure is timed as an observe error).
                    LOG.debug("pool metrics of load balancer {} not refreshed: {}", id, e.toString());
                    kept.add(id);
                }
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                observed.putAll(now);
                now.keySet().forEach(id -> poolMeters.computeIfAbsent(id, this::registerPool));
                for (UUID id : new ArrayList<>(poolMeters.keySet())) {
                    if (!now.containsKey(id) && !kept.contains(id)) {
                        poolMeters.remove(id).forEach(registry::remove);
                        observed.remove(id);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("pool metrics not refreshed: {}", e.toString());
        }
    }

    private List<Meter> registerPool(UUID id) {
        Tags tags = Tags.of("pool_id", id.toString());
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder("lbaas.pool.traffic", observed, m -> stats(m, id).bytesIn())
                .description("Bytes the load balancer received from clients and sent to them, as its data plane counts")
                .baseUnit("bytes").tags(tags).tag("direction", "in").register(registry));
        meters.add(FunctionCounter.builder("lbaas.pool.traffic", observed, m -> stats(m, id).bytesOut())
                .description("Bytes the load balancer received from clients and sent to them, as its data plane counts")
                .baseUnit("bytes").tags(tags).tag("direction", "out").register(registry));
        meters.add(FunctionCounter.builder("lbaas.pool.connections", observed, m -> stats(m, id).totalConnections())
                .description("Connections the load balancer accepted").tags(tags).register(registry));
        meters.add(Gauge.builder("lbaas.pool.connections.active", observed, m -> stats(m, id).activeConnections())
                .description("Connections the load balancer holds now").tags(tags).register(registry));
        for (MemberHealth health : MemberHealth.values()) {
            meters.add(Gauge.builder("lbaas.pool.members", observed, m -> members(m, id, health))
                    .description("Members of the load balancer by their health as its data plane reports it")
                    .tags(tags).tag("health", health.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        return meters;
    }

    private static PoolStats stats(Map<UUID, Observation> observed, UUID id) {
        Observation o = observed.get(id);
        return o == null ? PoolStats.ZERO : o.stats();
    }

    private static long members(Map<UUID, Observation> observed, UUID id, MemberHealth health) {
        Observation o = observed.get(id);
        return o == null ? 0 : o.memberHealth().values().stream().filter(h -> h == health).count();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        serviceGauges.forEach(registry::remove);
        serviceGauges.clear();
        poolMeters.values().forEach(ms -> ms.forEach(registry::remove));
        poolMeters.clear();
        observed.clear();
    }
}

package org.lbaas.driver.haproxy.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Protocol;
import org.lbaas.testkit.LbArbitraries;
import org.lbaas.testkit.LoadBalancerArbitrary;

/**
 * Generators for the renderer's properties, on top of the testkit's {@link LbArbitraries}: only
 * deployable load balancers (VIP present and admin up) whose admin-up monitors are not PING (the
 * driver's capabilities exclude PING; admin-down PING monitors stay, they must be ignored).
 */
final class RenderArbitraries {

    private RenderArbitraries() {
    }

    /**
     * A mix that reaches every feature often: any protocol with few or many members, cookie
     * persistence on HTTP, IPv6 only, several monitors, and pools without members.
     *
     * @param maxMembers the most members of one load balancer
     */
    static Arbitrary<LoadBalancer> deployable(int maxMembers) {
        LoadBalancerArbitrary base = LbArbitraries.loadBalancers().withVip().withMonitors(0, 4);
        int few = Math.min(20, maxMembers);
        int many = Math.min(100, maxMembers);
        Arbitrary<LoadBalancer> mix = Arbitraries.frequencyOf(
                Tuple.of(2, base.withMembers(1, few)),
                Tuple.of(1, base.withMembers(few, many)),
                Tuple.of(2, base.withMembers(many, maxMembers)),
                Tuple.of(2, base.withProtocols(Protocol.HTTP).withPersistence(PersistenceType.HTTP_COOKIE, PersistenceType.APP_COOKIE)
                        .withMembers(0, Math.min(50, maxMembers))),
                Tuple.of(1, base.withProtocols(Protocol.HTTP, Protocol.HTTPS).withPersistence(PersistenceType.SOURCE_IP)
                        .withMembers(0, few)),
                Tuple.of(1, base.withProtocols(Protocol.HTTPS).withMembers(1, few)),
                Tuple.of(1, base.ipv6Only().withMembers(1, Math.min(50, maxMembers))),
                Tuple.of(1, base.withMonitors(2, 5).withMonitorTypes(MonitorType.TCP, MonitorType.HTTP, MonitorType.HTTPS)
                        .withMembers(1, few)),
                Tuple.of(1, base.withMembers(0, 0)));
        return mix.map(RenderArbitraries::deployable);
    }

    static LoadBalancer deployable(LoadBalancer lb) {
        LoadBalancer up = lb.withVip(lb.vip().map(v -> v.adminStateUp() ? v : v.toBuilder().adminStateUp(true).build()));
        List<HealthMonitor> monitors = up.healthMonitors().stream()
                .map(m -> m.type() == MonitorType.PING && m.adminStateUp() ? m.toBuilder().adminStateUp(false).build() : m)
                .toList();
        return up.withHealthMonitors(monitors);
    }

    static Arbitrary<RenderSettings> settings() {
        Arbitrary<Optional<String>> logs = Arbitraries.of(Optional.empty(), Optional.empty(), Optional.of("/dev/log"),
                Optional.of("127.0.0.1:5514"), Optional.of("[2001:db8::9]:514"), Optional.of("stdout"));
        Arbitrary<Long> fds = Arbitraries.of(20_000L, 1_048_576L, 4096L, RenderSettings.minimumOpenFilesLimit(4, 1000));
        Arbitrary<Integer> threads = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> maxconns = Arbitraries.of(1, 2000, 50_000);
        Arbitrary<Duration> connects = Arbitraries.of(Duration.ofSeconds(5), Duration.ofMillis(1500), Duration.ofSeconds(30));
        return Combinators.combine(logs, fds, threads, maxconns, connects).as((log, fd, n, max, connect) ->
                new RenderSettings("nobody", "nogroup", n, max, fd, 1000, connect, Duration.ofSeconds(50), Duration.ofSeconds(50),
                        Duration.ofSeconds(30), log, 102_400, Duration.ofMinutes(30), "lbaas-check"));
    }
}

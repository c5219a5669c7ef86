package org.lbaas.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.driver.haproxy.internal.config.HaproxyConfigRenderer;
import org.lbaas.driver.haproxy.internal.config.RenderSettings;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full-configuration renders of the HAProxy renderer: an HTTP load balancer with an HTTP health
 * monitor and HTTP_COOKIE persistence, with 2, 100 or 1000 members (IPv4, every tenth admin down,
 * varied weights). Each invocation renders the whole text, as the driver does on every change.
 * Reported as average time per render; renders per second = 1 / that.
 *
 * <p>Target (issue 4): at most 80 µs at 100 members and 0.8 ms at 1000 (50 times an Octavia-style
 * Jinja renderer on a 2-core machine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RenderBenchmark {

    @Param({"2", "100", "1000"})
    public int members;

    /** The case; {@code -p persistence=APP_COOKIE} renders APP_COOKIE with an HTTPS check instead. */
    @Param({"HTTP_COOKIE"})
    public String persistence;

    private HaproxyConfigRenderer renderer;
    private LoadBalancer lb;
    private InstanceFiles files;

    @Setup
    public void setUp() {
        renderer = new HaproxyConfigRenderer(RenderSettings.defaults());
        lb = loadBalancer(members, persistence);
        files = InstanceFiles.of(Path.of("/var/lib/lbaas/haproxy"), InstanceId.primary(lb.id()));
        // fail fast rather than measure an exception
        renderer.render(lb, files);
    }

    @Benchmark
    public String render() {
        return renderer.render(lb, files);
    }

    static LoadBalancer loadBalancer(int count, String persistence) {
        String tenant = "0123456789abcdef0123456789abcdef";
        UUID poolId = UUID.fromString("2b66cbf3-a125-4da1-a3c2-3d50a23ef243");
        UUID subnetId = UUID.fromString("c9137fcf-cb06-4e7f-b856-59d1ccea9a40");
        Subnet subnet = Subnet.of(subnetId, "10.20.0.0/16", "10.20.0.1");
        Pool pool = Pool.builder().id(poolId).tenantId(tenant).subnetId(subnetId).protocol(Protocol.HTTP)
                .status(Status.ACTIVE).build();
        SessionPersistence sp = persistence.equals("APP_COOKIE") ? SessionPersistence.appCookie("JSESSIONID")
                : SessionPersistence.httpCookie();
        Vip vip = Vip.builder().id(UUID.fromString("49d84c18-eea9-47e1-952d-6c8e1cd892ee")).tenantId(tenant).subnetId(subnetId)
                .address("10.20.0.6").portId(UUID.fromString("13c0163f-2a00-4000-8000-000000000000")).protocolPort(80)
                .protocol(Protocol.HTTP).poolId(poolId).sessionPersistence(sp).status(Status.ACTIVE).build();
        List<Member> ms = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ms.add(Member.builder().id(new UUID(0x344e4f676b0a4cebL, 0x9c6375ba5b670000L | i)).tenantId(tenant).poolId(poolId)
                    .address("10.21." + (i / 250) + "." + (i % 250 + 2)).protocolPort(8080).weight(1 + i % 10)
                    .adminStateUp(i % 10 != 9).status(Status.ACTIVE).build());
        }
        HealthMonitor monitor = HealthMonitor.builder().id(UUID.fromString("e974b81a-05bf-4a08-b9d2-22d4d7d16429"))
                .tenantId(tenant).type(persistence.equals("APP_COOKIE") ? MonitorType.HTTPS : MonitorType.HTTP)
                .delay(5).timeout(3).maxRetries(3)
                .httpCheck(new HttpCheck(HttpMethod.GET, "/healthz?full=1", ExpectedCodes.parse("200-204"))).build();
        return new LoadBalancer(subnet, pool, Optional.of(vip), ms, List.of(monitor));
    }
}

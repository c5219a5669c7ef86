package org.lbaas.driver.haproxy.internal.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/** Load balancers with fixed ids for the renderer's golden files and tests. */
final class RenderFixtures {

    static final String TENANT = "tenant-a";
    /** Pool, VIP and members of the v1 seed configuration ({@code shared/reference/lbaas-v1-seed.txt}). */
    static final UUID SEED_POOL = UUID.fromString("2b66cbf3-a125-4da1-a3c2-3d50a23ef243");
    static final UUID SEED_VIP = UUID.fromString("49d84c18-eea9-47e1-952d-6c8e1cd892ee");
    static final UUID SEED_MEMBER_1 = UUID.fromString("344e4f67-6b0a-4ceb-9c63-75ba5b67d476");
    static final UUID SEED_MEMBER_2 = UUID.fromString("e974b81a-05bf-4a08-b9d2-22d4d7d16429");
    static final Path STATE_DIR = Path.of("/var/lib/lbaas/haproxy");

    private RenderFixtures() {
    }

    /** A readable fixed UUID: {@code 00000000-0000-4000-8000-<kind><n>} with kind a hex digit. */
    static UUID id(int kind, int n) {
        return new UUID(0x0000_0000_0000_4000L | ((long) kind << 16), 0x8000_0000_0000_0000L | n);
    }

    static InstanceFiles files(LoadBalancer lb) {
        return InstanceFiles.of(STATE_DIR, InstanceId.primary(lb.id()));
    }

    static Lb lb(Protocol protocol) {
        return new Lb(protocol);
    }

    /** The v1 seed's load balancer: HTTP on 20.20.20.6:80, round robin, two members, no monitor. */
    static LoadBalancer seed() {
        return new Lb(Protocol.HTTP).poolId(SEED_POOL).vipId(SEED_VIP).subnet("20.20.20.0/24", "20.20.20.1")
                .vipAddress("20.20.20.6").member(SEED_MEMBER_1, "20.20.20.2", 80, 1, true)
                .member(SEED_MEMBER_2, "20.20.20.4", 80, 1, true).build();
    }

    static HealthMonitor monitor(int n, MonitorType type, int delay, int timeout, int retries) {
        HealthMonitor.Builder b = HealthMonitor.builder().id(id(0xd, n)).tenantId(TENANT).type(type).delay(delay)
                .timeout(timeout).maxRetries(retries);
        return b.build();
    }

    static HealthMonitor httpMonitor(int n, MonitorType type, int delay, int timeout, int retries, HttpMethod method,
                                     String path, String codes) {
        return HealthMonitor.builder().id(id(0xd, n)).tenantId(TENANT).type(type).delay(delay).timeout(timeout)
                .maxRetries(retries).httpCheck(new HttpCheck(method, path, ExpectedCodes.parse(codes))).build();
    }

    /** A fluent builder of a valid load balancer with fixed ids. */
    static final class Lb {
        private final Protocol protocol;
        private UUID poolId = id(0xa, 1);
        private UUID vipId = id(0xb, 1);
        private String cidr = "203.0.113.0/24";
        private String gateway = "203.0.113.1";
        private String vipAddress = "203.0.113.10";
        private int vipPort = 80;
        private LbMethod method = LbMethod.ROUND_ROBIN;
        private boolean poolUp = true;
        private boolean vipUp = true;
        private SessionPersistence persistence;
        private int connectionLimit = -1;
        private String name = "";
        private String description = "";
        private String tenant = TENANT;
        private final List<Object[]> members = new ArrayList<>();
        private final List<HealthMonitor> monitors = new ArrayList<>();

        Lb(Protocol protocol) {
            this.protocol = protocol;
        }

        Lb poolId(UUID id) { this.poolId = id; return this; }
        Lb vipId(UUID id) { this.vipId = id; return this; }
        Lb subnet(String cidr, String gateway) { this.cidr = cidr; this.gateway = gateway; return this; }
        Lb vipAddress(String address) { this.vipAddress = address; return this; }
        Lb vipPort(int port) { this.vipPort = port; return this; }
        Lb method(LbMethod m) { this.method = m; return this; }
        Lb poolUp(boolean up) { this.poolUp = up; return this; }
        Lb vipUp(boolean up) { this.vipUp = up; return this; }
        Lb persistence(SessionPersistence p) { this.persistence = p; return this; }
        Lb connectionLimit(int limit) { this.connectionLimit = limit; return this; }
        Lb names(String name, String description) { this.name = name; this.description = description; return this; }
        Lb tenant(String tenant) { this.tenant = tenant; return this; }

        Lb member(UUID id, String address, int port, int weight, boolean up) {
            members.add(new Object[] {id, address, port, weight, up});
            return this;
        }

        /** Adds member number {@code n} at {@code 192.0.2.n}:8080 (or {@code 2001:db8:1::n} for IPv6 subnets). */
        Lb members(int count) {
            for (int n = 1; n <= count; n++) {
                String address = cidr.contains(":") ? "2001:db8:1::" + Integer.toHexString(n) : "192.0.2." + n;
                member(id(0xc, n), address, 8080, 1, true);
            }
            return this;
        }

        Lb monitor(HealthMonitor m) {
            monitors.add(m);
            return this;
        }

        LoadBalancer build() {
            UUID subnetId = id(0xe, 1);
            Subnet subnet = Subnet.of(subnetId, cidr, gateway);
            Pool pool = Pool.builder().id(poolId).tenantId(tenant).name(name).description(description).subnetId(subnetId)
                    .protocol(protocol).lbMethod(method).adminStateUp(poolUp).status(Status.ACTIVE).build();
            Vip vip = Vip.builder().id(vipId).tenantId(tenant).name(name).description(description).subnetId(subnetId)
                    .address(vipAddress).portId(id(0xf, 1)).protocolPort(vipPort).protocol(protocol).poolId(poolId)
                    .sessionPersistence(persistence).connectionLimit(connectionLimit).adminStateUp(vipUp)
                    .status(Status.ACTIVE).build();
            List<Member> ms = new ArrayList<>();
            for (Object[] m : members) {
                ms.add(Member.builder().id((UUID) m[0]).tenantId(tenant).poolId(poolId).address((String) m[1])
                        .protocolPort((Integer) m[2]).weight((Integer) m[3]).adminStateUp((Boolean) m[4])
                        .status(Status.ACTIVE).build());
            }
            List<HealthMonitor> hms = new ArrayList<>();
            for (HealthMonitor m : monitors) {
                hms.add(m.tenantId().equals(tenant) ? m : m.toBuilder().tenantId(tenant).build());
            }
            return new LoadBalancer(subnet, pool, Optional.of(vip), ms, hms);
        }
    }
}

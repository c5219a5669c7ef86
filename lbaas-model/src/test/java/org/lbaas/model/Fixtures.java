package org.lbaas.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/** Valid building blocks and violation assertions shared by the model's tests. */
final class Fixtures {

    static final String TENANT = "tenant-a";
    static final UUID POOL_ID = UUID.fromString("6f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a01");
    static final UUID SUBNET_ID = UUID.fromString("a3c2f7d1-5b6e-4f08-8e21-7c9d0b4e5f02");
    static final UUID VIP_ID = UUID.fromString("0d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c03");
    static final UUID PORT_ID = UUID.fromString("9c8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a04");

    private Fixtures() {
    }

    static UUID uuid(int n) {
        return new UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | n);
    }

    static InetAddress ip(String literal) {
        return IpAddresses.parse(literal, "test");
    }

    static Subnet subnet() {
        return Subnet.of(SUBNET_ID, "10.0.0.0/24", "10.0.0.1");
    }

    static Subnet subnet6() {
        return Subnet.of(SUBNET_ID, "2001:db8:1::/64", "2001:db8:1::1");
    }

    static Pool.Builder pool() {
        return Pool.builder().id(POOL_ID).tenantId(TENANT).subnetId(SUBNET_ID).protocol(Protocol.HTTP);
    }

    static Member.Builder member(int n) {
        return Member.builder().id(uuid(n)).tenantId(TENANT).poolId(POOL_ID).address("192.168.1." + n).protocolPort(8080);
    }

    static Vip.Builder vip() {
        return Vip.builder().id(VIP_ID).tenantId(TENANT).subnetId(SUBNET_ID).address("10.0.0.10").portId(PORT_ID)
                .protocolPort(80).protocol(Protocol.HTTP).poolId(POOL_ID);
    }

    static HealthMonitor.Builder monitor(int n) {
        return HealthMonitor.builder().id(uuid(1000 + n)).tenantId(TENANT).type(MonitorType.TCP).delay(5).timeout(3)
                .maxRetries(3);
    }

    static LoadBalancer loadBalancer(Vip vip, List<Member> members, List<HealthMonitor> monitors) {
        return new LoadBalancer(subnet(), pool().build(), Optional.ofNullable(vip), members, monitors);
    }

    /** Asserts that exactly one rule is broken, at {@code path}, and that the rule mentions {@code keyword}. */
    static Violation assertOnlyViolation(Executable code, String path, String keyword) {
        ValidationException e = assertThrows(ValidationException.class, code);
        assertEquals(1, e.violations().size(), () -> "expected one violation, got:\n" + e.getMessage());
        Violation v = e.violations().get(0);
        assertEquals(path, v.path(), () -> "wrong path in " + v);
        assertRuleMentions(v, keyword);
        return v;
    }

    /** Asserts that the rule text contains the keyword, case-insensitively. */
    static void assertRuleMentions(Violation v, String keyword) {
        assertTrue(v.rule().toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT)),
                () -> "rule of " + v.path() + " should mention '" + keyword + "': " + v.rule());
    }

    /** Returns the violation paths, in order. */
    static List<String> paths(ValidationException e) {
        return e.violations().stream().map(Violation::path).collect(Collectors.toList());
    }
}

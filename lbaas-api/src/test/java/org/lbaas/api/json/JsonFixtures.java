package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;
import org.lbaas.api.HealthMonitorView;
import org.lbaas.api.PoolView;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.PoolMonitorAssociation;
import org.lbaas.model.PoolStats;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;
import org.lbaas.model.Vip;

/** Valid objects with fixed ids, resource access and violation assertions for the JSON tests. */
final class JsonFixtures {

    static final NeutronJson JSON = NeutronJson.standard();

    static final String TENANT = "tenant-a";
    static final UUID SUBNET_ID = UUID.fromString("a3c2f7d1-5b6e-4f08-8e21-7c9d0b4e5f02");
    static final UUID POOL_ID = UUID.fromString("6f1b3d0e-3c1a-4c55-9a8e-0d7e2b1f4a01");
    static final UUID VIP_ID = UUID.fromString("0d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c03");
    static final UUID PORT_ID = UUID.fromString("9c8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a04");
    static final UUID MONITOR_ID = UUID.fromString("4e3d2c1b-0a9f-4e8d-9c7b-6a5f4e3d2c05");
    static final UUID OTHER_POOL_ID = UUID.fromString("7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c06");

    private JsonFixtures() {
    }

    static UUID memberId(int n) {
        return UUID.fromString(String.format("11111111-2222-4333-8444-%012d", n));
    }

    static InetAddress ip(String literal) {
        return IpAddresses.parse(literal, "test");
    }

    static Subnet subnet() {
        return new Subnet(SUBNET_ID, "backend", org.lbaas.model.Cidr.parse("10.0.0.0/24"), Optional.of(ip("10.0.0.1")));
    }

    static Pool pool() {
        return Pool.builder().id(POOL_ID).tenantId(TENANT).name("web").description("front web servers")
                .subnetId(SUBNET_ID).protocol(Protocol.HTTP).lbMethod(LbMethod.LEAST_CONNECTIONS).provider("haproxy-ns")
                .status(Status.ACTIVE).build();
    }

    static Vip vip() {
        return Vip.builder().id(VIP_ID).tenantId(TENANT).name("web-vip").description("public entry")
                .subnetId(SUBNET_ID).address("10.0.0.10").portId(PORT_ID).protocolPort(80).protocol(Protocol.HTTP)
                .poolId(POOL_ID).sessionPersistence(SessionPersistence.appCookie("JSESSIONID")).connectionLimit(5000)
                .status(Status.ACTIVE).build();
    }

    static Member member(int n) {
        return Member.builder().id(memberId(n)).tenantId(TENANT).poolId(POOL_ID).address("10.0.0." + (10 + n))
                .protocolPort(8080).weight(n).status(Status.ACTIVE).build();
    }

    static HealthMonitor httpMonitor() {
        return HealthMonitor.builder().id(MONITOR_ID).tenantId(TENANT).type(MonitorType.HTTP).delay(5).timeout(3)
                .maxRetries(3).httpCheck(new HttpCheck(HttpMethod.HEAD, "/health?full=1", ExpectedCodes.parse("200,202")))
                .build();
    }

    static HealthMonitor tcpMonitor() {
        return HealthMonitor.builder().id(MONITOR_ID).tenantId(TENANT).type(MonitorType.TCP).delay(10).timeout(10)
                .maxRetries(5).adminStateUp(false).build();
    }

    static PoolView poolView() {
        return new PoolView(pool(), List.of(memberId(1), memberId(2)), List.of(MONITOR_ID),
                List.of(new PoolMonitorAssociation(POOL_ID, MONITOR_ID, Status.ACTIVE, "")), Optional.of(VIP_ID));
    }

    static HealthMonitorView monitorView() {
        return new HealthMonitorView(httpMonitor(), List.of(
                new PoolMonitorAssociation(POOL_ID, MONITOR_ID, Status.ACTIVE, ""),
                new PoolMonitorAssociation(OTHER_POOL_ID, MONITOR_ID, Status.ERROR, "driver timed out after 30 s")));
    }

    static PoolStats stats() {
        return new PoolStats(123_456_789L, 987_654_321_000L, 12, 4_000_000_000L);
    }

    static LoadBalancer loadBalancer() {
        return new LoadBalancer(subnet(), pool(), Optional.of(vip()), List.of(member(1), member(2)),
                List.of(httpMonitor()));
    }

    /** Reads a test resource as UTF-8 text. */
    static String resource(String name) {
        try (InputStream in = JsonFixtures.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compares text with a golden file under {@code src/test/resources/neutron-v1/}. Run with
     * {@code -Dlbaas.golden.update=true} to rewrite the file instead (then review the diff).
     */
    static void assertGolden(String file, String actual) {
        String name = "neutron-v1/" + file;
        if (Boolean.getBoolean("lbaas.golden.update")) {
            try {
                Path target = Path.of("src/test/resources", name);
                Files.createDirectories(target.getParent());
                Files.writeString(target, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertEquals(resource(name), actual, "output differs from golden file " + name);
    }

    /** Parses JSON text in a test, with a plain mapper (not the one under test). */
    static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that an object has exactly these attribute names, in this order. */
    static void assertNames(List<String> expected, JsonNode object, String what) {
        assertTrue(object.isObject(), what + " is not an object: " + object);
        List<String> actual = new ArrayList<>();
        object.fieldNames().forEachRemaining(actual::add);
        assertEquals(expected, actual, "attribute names of " + what);
    }

    /** Asserts that the code fails validation and returns every violation. */
    static List<Violation> violations(Executable code) {
        ValidationException e = assertThrows(ValidationException.class, code);
        return e.violations();
    }

    /** Asserts that there is a violation at exactly {@code path} whose rule mentions {@code keyword}. */
    static Violation assertViolation(List<Violation> violations, String path, String keyword) {
        for (Violation v : violations) {
            if (v.path().equals(path) && v.rule().toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        return fail("no violation at " + path + " mentioning '" + keyword + "' among:\n"
                + violations.stream().map(Violation::message).collect(Collectors.joining("\n")));
    }

    /**
     * Asserts that the code fails validation with exactly these violations, given as a table of
     * {@code path, keyword} pairs: each pair is found as by {@link #assertViolation} and there are
     * no others. Returns every violation.
     */
    static List<Violation> assertExactViolations(Executable code, String... pathKeywordPairs) {
        if (pathKeywordPairs.length % 2 != 0) {
            throw new IllegalArgumentException("path and keyword pairs expected, got " + pathKeywordPairs.length + " strings");
        }
        List<Violation> all = violations(code);
        for (int i = 0; i < pathKeywordPairs.length; i += 2) {
            assertViolation(all, pathKeywordPairs[i], pathKeywordPairs[i + 1]);
        }
        assertEquals(pathKeywordPairs.length / 2, all.size(), all::toString);
        return all;
    }

    /** Asserts that exactly one violation is reported, at {@code path}, mentioning {@code keyword}. */
    static Violation assertOnlyViolation(Executable code, String path, String keyword) {
        List<Violation> all = violations(code);
        assertEquals(1, all.size(), () -> "expected one violation, got:\n"
                + all.stream().map(Violation::message).collect(Collectors.joining("\n")));
        Violation v = assertViolation(all, path, keyword);
        assertTrue(v.message().startsWith(path + ": "));
        return v;
    }
}

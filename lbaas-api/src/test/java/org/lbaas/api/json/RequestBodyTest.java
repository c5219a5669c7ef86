package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.POOL_ID;
import static org.lbaas.api.json.JsonFixtures.SUBNET_ID;
import static org.lbaas.api.json.JsonFixtures.assertExactViolations;
import static org.lbaas.api.json.JsonFixtures.assertOnlyViolation;
import static org.lbaas.api.json.JsonFixtures.assertViolation;
import static org.lbaas.api.json.JsonFixtures.ip;
import static org.lbaas.api.json.JsonFixtures.violations;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.PersistenceChange;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LbMethod;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Violation;

/** Bodies of Neutron's POST and PUT requests, read into the service's request records. */
class RequestBodyTest {

    private static final String POOL = POOL_ID.toString();
    private static final String SUBNET = SUBNET_ID.toString();

    /** Turns {@code 'x'} into {@code "x"} so that bodies stay readable in Java source. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    @Nested
    @DisplayName("pool")
    class Pools {

        @Test
        void createWithEveryAttribute() {
            PoolCreate read = JSON.readPoolCreate(json("{'pool': {'tenant_id': 't1', 'name': 'web', 'description': 'd',"
                    + " 'subnet_id': '" + SUBNET + "', 'protocol': 'HTTPS', 'lb_method': 'SOURCE_IP',"
                    + " 'provider': 'haproxy-ns', 'admin_state_up': false}}"));
            assertEquals(new PoolCreate("t1", "web", "d", SUBNET_ID, Protocol.HTTPS, LbMethod.SOURCE_IP,
                    Optional.of("haproxy-ns"), false), read);
        }

        @Test
        void createTakesV1DefaultsForOptionalAttributes() {
            PoolCreate read = JSON.readPoolCreate(json("{'pool': {'tenant_id': 't1', 'subnet_id': '" + SUBNET
                    + "', 'protocol': 'TCP', 'lb_method': 'ROUND_ROBIN'}}"));
            assertEquals(PoolCreate.of("t1", SUBNET_ID, Protocol.TCP, LbMethod.ROUND_ROBIN), read);
        }

        @Test
        void createNeedsTenantSubnetProtocolAndMethodAndSaysSoAtOnce() {
            List<Violation> all = violations(() -> JSON.readPoolCreate("{\"pool\": {}}"));
            assertEquals(4, all.size(), all::toString);
            for (String name : List.of("tenant_id", "subnet_id", "protocol", "lb_method")) {
                assertViolation(all, "pool." + name, "is required");
            }
        }

        @Test
        void createRejectsReadOnlyAttributes() {
            List<Violation> all = violations(() -> JSON.readPoolCreate(json("{'pool': {'id': '" + POOL
                    + "', 'tenant_id': 't1', 'subnet_id': '" + SUBNET + "', 'protocol': 'TCP', 'lb_method': 'ROUND_ROBIN',"
                    + " 'status': 'ACTIVE', 'members': [], 'health_monitors': [], 'vip_id': null}}")));
            for (String name : List.of("id", "status", "members", "health_monitors", "vip_id")) {
                assertViolation(all, "pool." + name, "is read-only");
            }
            assertEquals(5, all.size(), all::toString);
        }

        @Test
        void updateReadsOnlyWhatIsPresent() {
            assertEquals(PoolUpdate.empty(), JSON.readPoolUpdate("{\"pool\": {}}"));
            assertEquals(PoolUpdate.empty().withLbMethod(LbMethod.LEAST_CONNECTIONS).withAdminStateUp(false),
                    JSON.readPoolUpdate(json("{'pool': {'lb_method': 'LEAST_CONNECTIONS', 'admin_state_up': false}}")));
            assertEquals(PoolUpdate.empty().withName("").withDescription("new"),
                    JSON.readPoolUpdate(json("{'pool': {'name': '', 'description': 'new'}}")));
        }

        @Test
        void updateRejectsAttributesFixedAtCreation() {
            List<Violation> all = violations(() -> JSON.readPoolUpdate(json(
                    "{'pool': {'protocol': 'TCP', 'subnet_id': '" + SUBNET + "', 'provider': 'x', 'tenant_id': 't'}}")));
            for (String name : List.of("protocol", "subnet_id", "provider", "tenant_id")) {
                assertViolation(all, "pool." + name, "is read-only");
            }
        }

        @Test
        void unknownLbMethodListsTheAllowedOnes() {
            Violation v = assertOnlyViolation(() -> JSON.readPoolUpdate(json("{'pool': {'lb_method': 'WEIGHTED'}}")),
                    "pool.lb_method", "must be one of");
            assertTrue(v.rule().contains("ROUND_ROBIN") && v.rule().contains("LEAST_CONNECTIONS")
                    && v.rule().contains("SOURCE_IP"), v.rule());
            assertEquals("\"WEIGHTED\"", v.rejectedValue());
        }
    }

    @Nested
    @DisplayName("member")
    class Members {

        @Test
        void createWithDefaults() {
            MemberCreate read = JSON.readMemberCreate(json("{'member': {'tenant_id': 't1', 'pool_id': '" + POOL
                    + "', 'address': '192.0.2.7', 'protocol_port': 8080}}"));
            assertEquals(MemberCreate.of("t1", POOL_ID, "192.0.2.7", 8080), read);
        }

        @Test
        void createWithEveryAttributeAndAnIpv6Address() {
            MemberCreate read = JSON.readMemberCreate(json("{'member': {'tenant_id': 't1', 'pool_id': '" + POOL
                    + "', 'address': '2001:DB8::0:5', 'protocol_port': 443, 'weight': 0, 'admin_state_up': false}}"));
            assertEquals(new MemberCreate("t1", POOL_ID, ip("2001:db8::5"), 443, 0, false), read);
        }

        @Test
        void hostNameIsNotAnAddress() {
            Violation v = assertOnlyViolation(() -> JSON.readMemberCreate(json("{'member': {'tenant_id': 't1', 'pool_id': '"
                    + POOL + "', 'address': 'localhost', 'protocol_port': 80}}")), "member.address", "IPv4 or IPv6");
            assertEquals("\"localhost\"", v.rejectedValue());
        }

        @Test
        void portAsAStringIsAWrongType() {
            Violation v = assertOnlyViolation(() -> JSON.readMemberCreate(json("{'member': {'tenant_id': 't1', 'pool_id': '"
                    + POOL + "', 'address': '192.0.2.7', 'protocol_port': '80'}}")), "member.protocol_port",
                    "must be an integer");
            assertEquals("member.protocol_port: must be an integer (rejected: \"80\")", v.message());
        }

        @Test
        void updateMovesAndReweighs() {
            assertEquals(MemberUpdate.empty().withWeight(7).withPoolId(POOL_ID),
                    JSON.readMemberUpdate(json("{'member': {'weight': 7, 'pool_id': '" + POOL + "'}}")));
            assertEquals(MemberUpdate.empty(), JSON.readMemberUpdate("{\"member\": {}}"));
        }

        @Test
        void updateRejectsAddressPortAndIdAsReadOnly() {
            assertExactViolations(() -> JSON.readMemberUpdate(json(
                    "{'member': {'id': '" + POOL + "', 'address': '192.0.2.1', 'protocol_port': 81, 'weight': 2}}")),
                    "member.id", "is read-only",
                    "member.address", "is read-only",
                    "member.protocol_port", "is read-only");
        }

        @Test
        void badPoolIdIsNotAUuid() {
            assertOnlyViolation(() -> JSON.readMemberUpdate(json("{'member': {'pool_id': 'pool-1'}}")), "member.pool_id",
                    "must be a UUID");
            assertOnlyViolation(() -> JSON.readMemberUpdate(json("{'member': {'pool_id': '1-1-1-1-1'}}")), "member.pool_id",
                    "must be a UUID");
        }
    }

    @Nested
    @DisplayName("health monitor")
    class Monitors {

        @Test
        void httpCreateKeepsWhatIsGivenAndLeavesTheRestToDefaults() {
            HealthMonitorCreate read = JSON.readHealthMonitorCreate(json("{'health_monitor': {'tenant_id': 't1',"
                    + " 'type': 'HTTP', 'delay': 5, 'timeout': 3, 'max_retries': 2, 'url_path': '/ping'}}"));
            assertEquals(new HealthMonitorCreate("t1", MonitorType.HTTP, 5, 3, 2, Optional.empty(), Optional.of("/ping"),
                    Optional.empty(), true), read);
        }

        @Test
        void httpsCreateWithEveryAttribute() {
            HealthMonitorCreate read = JSON.readHealthMonitorCreate(json("{'health_monitor': {'tenant_id': 't1',"
                    + " 'type': 'HTTPS', 'delay': 10, 'timeout': 10, 'max_retries': 10, 'http_method': 'HEAD',"
                    + " 'url_path': '/', 'expected_codes': '200-204', 'admin_state_up': false}}"));
            assertEquals(HealthMonitorCreate.of("t1", MonitorType.HTTPS, 10, 10, 10)
                    .withHttp(HttpMethod.HEAD, "/", "200-204").withAdminStateUp(false), read);
        }

        @Test
        void tcpCreateIgnoresV1DefaultHttpAttributes() {
            HealthMonitorCreate read = JSON.readHealthMonitorCreate(json("{'health_monitor': {'tenant_id': 't1',"
                    + " 'type': 'TCP', 'delay': 5, 'timeout': 3, 'max_retries': 3, 'http_method': 'GET', 'url_path': '/',"
                    + " 'expected_codes': '200'}}"));
            assertEquals(HealthMonitorCreate.of("t1", MonitorType.TCP, 5, 3, 3), read);
        }

        @Test
        void pingCreateRejectsOtherHttpAttributes() {
            assertExactViolations(() -> JSON.readHealthMonitorCreate(json("{'health_monitor': {'tenant_id': 't1',"
                    + " 'type': 'PING', 'delay': 5, 'timeout': 3, 'max_retries': 3, 'http_method': 'POST',"
                    + " 'expected_codes': '500'}}")),
                    "health_monitor.http_method", "only for HTTP and HTTPS",
                    "health_monitor.expected_codes", "only for HTTP and HTTPS");
        }

        @Test
        void createCollectsEveryTypeError() {
            assertExactViolations(() -> JSON.readHealthMonitorCreate(json("{'health_monitor': {'tenant_id': 7,"
                    + " 'type': 'UDP', 'delay': '5', 'timeout': 2.5, 'http_method': 'get', 'pools': [], 'statuz': 1}}")),
                    "health_monitor.tenant_id", "must be a string",
                    "health_monitor.type", "must be one of [PING, TCP, HTTP, HTTPS]",
                    "health_monitor.delay", "must be an integer",
                    "health_monitor.timeout", "must be an integer",
                    "health_monitor.max_retries", "is required",
                    "health_monitor.http_method", "values are upper case",
                    "health_monitor.pools", "is read-only",
                    "health_monitor.statuz", "is not an attribute of a health monitor");
        }

        @Test
        void updateIsPartialAndRefusesTheType() {
            assertEquals(HealthMonitorUpdate.empty().withTiming(9, 4).withUrlPath("/x"),
                    JSON.readHealthMonitorUpdate(json("{'health_monitor': {'delay': 9, 'timeout': 4, 'url_path': '/x'}}")));
            assertOnlyViolation(() -> JSON.readHealthMonitorUpdate(json("{'health_monitor': {'type': 'TCP'}}")),
                    "health_monitor.type", "is read-only");
        }
    }

    @Nested
    @DisplayName("vip")
    class Vips {

        private final String minimal = "'tenant_id': 't1', 'subnet_id': '" + SUBNET + "', 'protocol_port': 80,"
                + " 'protocol': 'HTTP', 'pool_id': '" + POOL + "'";

        @Test
        void createWithDefaultsLeavesAddressAndPortToTheService() {
            VipCreate read = JSON.readVipCreate(json("{'vip': {" + minimal + "}}"));
            assertEquals(VipCreate.of("t1", SUBNET_ID, 80, Protocol.HTTP, POOL_ID), read);
            assertEquals(read, JSON.readVipCreate(json("{'vip': {" + minimal + ", 'address': null,"
                    + " 'session_persistence': null}}")));
        }

        @Test
        void createWithEveryAttribute() {
            UUID port = UUID.fromString("9c8b7a6f-5e4d-4c3b-9a1f-0e9d8c7b6a04");
            VipCreate read = JSON.readVipCreate(json("{'vip': {" + minimal + ", 'name': 'n', 'description': 'd',"
                    + " 'address': '10.0.0.10', 'port_id': '" + port + "', 'connection_limit': 100,"
                    + " 'admin_state_up': false, 'session_persistence': {'type': 'APP_COOKIE', 'cookie_name': 'sid'}}}"));
            assertEquals(new VipCreate("t1", "n", "d", SUBNET_ID, Optional.of(ip("10.0.0.10")), Optional.of(port), 80,
                    Protocol.HTTP, POOL_ID, Optional.of(SessionPersistence.appCookie("sid")), 100, false), read);
        }

        @Test
        void createRejectsIdAndStatus() {
            assertExactViolations(() -> JSON.readVipCreate(json("{'vip': {" + minimal
                    + ", 'id': '" + POOL + "', 'status': 'ACTIVE', 'status_description': ''}}")),
                    "vip.id", "is read-only",
                    "vip.status", "is read-only",
                    "vip.status_description", "is read-only");
        }

        @Test
        void persistenceRulesAreReportedWithTheirNestedPath() {
            assertOnlyViolation(() -> JSON.readVipCreate(json("{'vip': {" + minimal
                    + ", 'session_persistence': {'type': 'APP_COOKIE'}}}")), "vip.session_persistence.cookie_name",
                    "is required");
            assertOnlyViolation(() -> JSON.readVipCreate(json("{'vip': {" + minimal
                    + ", 'session_persistence': {'type': 'COOKIE'}}}")), "vip.session_persistence.type", "must be one of");
            assertOnlyViolation(() -> JSON.readVipCreate(json("{'vip': {" + minimal
                    + ", 'session_persistence': {'type': 'SOURCE_IP', 'timeout': 5}}}")),
                    "vip.session_persistence.timeout", "is not an attribute of a session persistence");
            assertOnlyViolation(() -> JSON.readVipCreate(json("{'vip': {" + minimal
                    + ", 'session_persistence': 'SOURCE_IP'}}")), "vip.session_persistence", "must be a JSON object");
        }

        @Test
        void updateSessionPersistenceIsThreeWay() {
            assertEquals(Optional.empty(), JSON.readVipUpdate(json("{'vip': {'connection_limit': 10}}")).sessionPersistence(),
                    "absent keeps it");
            assertEquals(Optional.of(PersistenceChange.clear()),
                    JSON.readVipUpdate(json("{'vip': {'session_persistence': null}}")).sessionPersistence(), "null clears it");
            assertEquals(Optional.of(PersistenceChange.set(SessionPersistence.sourceIp())),
                    JSON.readVipUpdate(json("{'vip': {'session_persistence': {'type': 'SOURCE_IP'}}}")).sessionPersistence(),
                    "an object sets it");
        }

        @Test
        void updateReadsEveryUpdatableAttribute() {
            VipUpdate read = JSON.readVipUpdate(json("{'vip': {'name': 'a', 'description': 'b', 'pool_id': '" + POOL
                    + "', 'connection_limit': -1, 'admin_state_up': true, 'session_persistence': {'type': 'HTTP_COOKIE',"
                    + " 'cookie_name': null}}}"));
            assertEquals(new VipUpdate(Optional.of("a"), Optional.of("b"), Optional.of(POOL_ID), Optional.of(-1),
                    Optional.of(true), Optional.of(PersistenceChange.set(SessionPersistence.httpCookie()))), read);
        }

        @Test
        void updateRejectsEverythingFixedAtCreation() {
            List<Violation> all = violations(() -> JSON.readVipUpdate(json("{'vip': {'address': '10.0.0.9',"
                    + " 'protocol_port': 81, 'protocol': 'TCP', 'subnet_id': '" + SUBNET + "', 'port_id': '" + POOL
                    + "', 'tenant_id': 't', 'id': '" + POOL + "'}}")));
            assertEquals(7, all.size(), all::toString);
            all.forEach(v -> assertTrue(v.rule().startsWith("is read-only"), v::message));
        }
    }

    @Nested
    @DisplayName("body shape")
    class Shape {

        @Test
        void bodyMustBeWrapped() {
            assertExactViolations(() -> JSON.readMemberUpdate("{\"weight\": 3}"),
                    "member", "is required",
                    "weight", "accepted here: member");
        }

        @Test
        void unknownTopLevelKeysAreNamed() {
            assertExactViolations(() -> JSON.readMemberUpdate("{\"member\": {}, \"members\": []}"),
                    "members", "is not an attribute");
        }

        @Test
        void bodyMustBeAnObject() {
            assertOnlyViolation(() -> JSON.readPoolCreate("[{\"pool\": {}}]"), "$", "must be a JSON object");
            assertOnlyViolation(() -> JSON.readPoolCreate("{\"pool\": []}"), "pool", "must be a JSON object");
        }

        @Test
        void nullWhereNullMeansNothingIsAWrongType() {
            assertOnlyViolation(() -> JSON.readPoolUpdate("{\"pool\": {\"name\": null}}"), "pool.name", "must be a string");
            assertOnlyViolation(() -> JSON.readMemberUpdate("{\"member\": {\"weight\": null}}"), "member.weight",
                    "must be an integer");
        }

        @Test
        void camelCaseNamesGetAHint() {
            Violation v = assertOnlyViolation(() -> JSON.readMemberUpdate("{\"member\": {\"adminStateUp\": false}}"),
                    "member.adminStateUp", "did you mean admin_state_up");
            assertTrue(v.rule().contains("accepted here: weight, admin_state_up, pool_id"), v.rule());
        }
    }
}

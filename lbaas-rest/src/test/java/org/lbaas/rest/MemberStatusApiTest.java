package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.model.MemberHealth;

/** v1 showed a member that fails its health checks as INACTIVE: the API derives that from the driver's health. */
@DisplayName("member status on the wire is derived from health")
class MemberStatusApiTest {

    /** The in-memory driver, reporting DOWN for the members a test marks. */
    /** Forwards to the real driver, but reports the members in {@code down} as DOWN. */
    static final class HealthReportingDriver extends ForwardingDriver {
        final LoadBalancerDriver delegate;
        final Set<UUID> down = ConcurrentHashMap.newKeySet();
        final AtomicInteger observations = new AtomicInteger();

        HealthReportingDriver(LoadBalancerDriver delegate) {
            this.delegate = delegate;
        }

        @Override
        protected LoadBalancerDriver delegate() {
            return delegate;
        }

        @Override
        public Optional<Observation> observe(UUID poolId) {
            observations.incrementAndGet();
            return delegate.observe(poolId).map(o -> {
                Map<UUID, MemberHealth> health = new HashMap<>(o.memberHealth());
                health.replaceAll((id, h) -> down.contains(id) ? MemberHealth.DOWN : h);
                return new Observation(o.stats(), health, o.countersReset());
            });
        }

        @Override
        public Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
            return LoadBalancerDriver.observeEach(this, poolIds);
        }
    }

    RestFixture api;
    HealthReportingDriver health;

    @BeforeEach
    void start() {
        api = new RestFixture(b -> b, d -> health = new HealthReportingDriver(d));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Waits until the member shows this status; returns it as shown. */
    private JsonNode awaitMember(String id, String status) {
        return api.awaitStatus("/v2.0/lb/members/" + id, "member", status);
    }

    /** Returns the status {@code GET /v2.0/lb/members/<id and query>} shows. */
    private String shownStatus(String idAndQuery) {
        return api.get("/v2.0/lb/members/" + idAndQuery).expect(200).json().get("member").get("status").asText();
    }

    private Set<String> ids(String query) {
        Set<String> out = new HashSet<>();
        api.get("/v2.0/lb/members" + query).expect(200).json().get("members").forEach(m -> out.add(m.get("id").asText()));
        return out;
    }

    @Test
    @DisplayName("a member whose checks fail is INACTIVE in list, filters and show, ACTIVE again when they pass")
    void downIsInactive() {
        String pool = api.pool("web");
        api.vip(pool, "vip");
        String sick = api.member(pool, "10.0.0.11", 80);
        String well = api.member(pool, "10.0.0.12", 80);
        awaitMember(sick, "ACTIVE");
        awaitMember(well, "ACTIVE");

        health.down.add(UUID.fromString(sick));
        assertEquals("INACTIVE", shownStatus(sick));
        assertEquals("ACTIVE", shownStatus(well));
        JsonNode list = api.get("/v2.0/lb/members").json().get("members");
        for (JsonNode m : list) {
            assertEquals(m.get("id").asText().equals(sick) ? "INACTIVE" : "ACTIVE", m.get("status").asText(), m.toString());
        }
        assertEquals(Set.of(sick), ids("?status=INACTIVE"));
        assertEquals(Set.of(well), ids("?status=ACTIVE&pool_id=" + pool));
        assertEquals(Set.of(sick), ids("?status=INACTIVE&fields=id&fields=status"));
        assertEquals("INACTIVE", shownStatus(sick + "?fields=status"));

        health.down.clear();
        assertEquals("ACTIVE", shownStatus(sick));
        assertEquals(Set.of(), ids("?status=INACTIVE"));
    }

    @Test
    @DisplayName("health is read once per pool per request, and not at all for pools without an ACTIVE member")
    void oncePerPool() {
        String a = api.pool("a");
        String b = api.pool("b");
        api.vip(a, "va");
        api.vip(b, "vb");
        List<String> members = List.of(api.member(a, "10.0.0.21", 80), api.member(a, "10.0.0.22", 80),
                api.member(a, "10.0.0.23", 80), api.member(b, "10.0.0.24", 80));
        members.forEach(m -> awaitMember(m, "ACTIVE"));
        health.observations.set(0);
        api.get("/v2.0/lb/members").expect(200);
        assertEquals(2, health.observations.get(), "one reading per pool");
        health.observations.set(0);
        api.get("/v2.0/lb/pools").expect(200);
        assertEquals(0, health.observations.get(), "pools are written without health");
    }

    @Test
    @DisplayName("only ACTIVE is overridden: an admin-down member stays DISABLED, a fresh one PENDING_CREATE")
    void onlyActiveIsOverridden() {
        String pool = api.pool("web");
        api.vip(pool, "vip");
        String off = api.post("/v2.0/lb/members", "{\"member\": {\"pool_id\": \"" + pool
                + "\", \"address\": \"10.0.0.31\", \"protocol_port\": 80, \"admin_state_up\": false}}").expect(201)
                .json().get("member").get("id").asText();
        JsonNode disabled = awaitMember(off, "DISABLED");
        health.down.add(UUID.fromString(off));
        assertEquals("DISABLED", shownStatus(off), disabled.toString());

        String updated = api.put("/v2.0/lb/members/" + off, "{\"member\": {\"weight\": 3}}").expect(200)
                .json().get("member").get("status").asText();
        assertEquals("PENDING_UPDATE", updated);
    }

    @Test
    @DisplayName("the answer to an update shows the derived status of an ACTIVE member")
    void changeAnswers() {
        String pool = api.pool("web");
        api.vip(pool, "vip");
        String m = api.member(pool, "10.0.0.41", 80);
        awaitMember(m, "ACTIVE");
        health.down.add(UUID.fromString(m));
        // the in-memory driver applies at once; whichever status the answer carries, an ACTIVE one is derived
        String shown = api.put("/v2.0/lb/members/" + m, "{\"member\": {\"weight\": 2}}").expect(200)
                .json().get("member").get("status").asText();
        assertEquals(true, Set.of("PENDING_UPDATE", "INACTIVE").contains(shown), shown);
        awaitMember(m, "INACTIVE");
    }
}

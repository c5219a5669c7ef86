package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.pool;
import static org.lbaas.api.json.JsonFixtures.poolView;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lbaas.api.PoolView;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Status;

/** The pool in Neutron v1's wire format, against golden files. */
class PoolExpectTest {

    private static PoolView newPool() {
        return new PoolView(pool().toBuilder().id(JsonFixtures.OTHER_POOL_ID).name("").description("").provider("").protocol(Protocol.TCP)
                .lbMethod(LbMethod.SOURCE_IP).status(Status.PENDING_CREATE).build(), List.of(), List.of(), List.of(),
                Optional.empty());
    }

    @Test
    void poolWithRelationsMatchesTheGoldenFile() {
        assertGolden("pool.json", JSON.writePool(poolView()));
    }

    @Test
    void goldenPoolHasExactlyTheNeutronAttributes() {
        JsonNode pool = tree(resource("neutron-v1/pool.json")).get("pool");
        assertNames(NeutronV1Attributes.POOL, pool, "pool");
        assertEquals(1, pool.get("health_monitors_status").size());
        assertNames(NeutronV1Attributes.POOL_MONITOR_STATUS, pool.get("health_monitors_status").get(0),
                "health_monitors_status[0]");
    }

    @Test
    void goldenPoolReadsBackToTheSameView() {
        assertEquals(poolView(), JSON.readPool(resource("neutron-v1/pool.json")));
    }

    @Test
    void poolWithoutRelationsShowsEmptyListsAndNullVip() {
        JsonNode pool = tree(JSON.writePool(newPool())).get("pool");
        assertNames(NeutronV1Attributes.POOL, pool, "pool");
        assertTrue(pool.get("vip_id").isNull());
        assertEquals(0, pool.get("members").size());
        assertEquals(0, pool.get("health_monitors_status").size());
    }

    @Test
    void poolListMatchesTheGoldenFileAndReadsBack() {
        List<PoolView> pools = List.of(poolView(), newPool());
        assertGolden("pools.json", JSON.writePools(pools));
        tree(resource("neutron-v1/pools.json")).get("pools")
                .forEach(item -> assertNames(NeutronV1Attributes.POOL, item, "pools[]"));
        assertEquals(pools, JSON.readPools(resource("neutron-v1/pools.json")));
    }
}

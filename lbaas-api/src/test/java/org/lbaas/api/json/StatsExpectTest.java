package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.stats;
import static org.lbaas.api.json.JsonFixtures.tree;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pool statistics in Neutron v1's wire format, against a golden file. */
class StatsExpectTest {

    @Test
    void statsMatchTheGoldenFile() {
        assertGolden("stats.json", JSON.writeStats(stats()));
    }

    @Test
    void goldenStatsHaveExactlyTheNeutronAttributesAndReadBack() {
        String golden = resource("neutron-v1/stats.json");
        assertNames(List.of("stats"), tree(golden), "body");
        assertNames(NeutronV1Attributes.STATS, tree(golden).get("stats"), "stats");
        assertEquals(987_654_321_000L, tree(golden).get("stats").get("bytes_out").longValue());
        assertEquals(stats(), JSON.readStats(golden));
    }
}

package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.tree;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lbaas.model.LoadBalancer;

/**
 * The load balancer document: {@code documents/web.json}, written back with every default made
 * explicit, against a golden file.
 */
class DocumentExpectTest {

    private static List<String> without(List<String> names, String... removed) {
        List<String> out = new ArrayList<>(names);
        out.removeAll(List.of(removed));
        return out;
    }

    @Test
    void webDocumentWrittenBackMatchesTheGoldenFile() {
        LoadBalancer lb = JSON.readDocument(resource("documents/web.json"));
        assertGolden("document-web.json", JSON.writeDocument(lb));
    }

    @Test
    void goldenDocumentUsesTheNeutronAttributeNames() {
        JsonNode doc = tree(resource("neutron-v1/document-web.json"));
        assertNames(List.of("subnet", "pool", "vip", "members", "health_monitors"), doc, "document");
        assertNames(NeutronV1Attributes.SUBNET, doc.get("subnet"), "subnet");
        assertNames(without(NeutronV1Attributes.POOL, "members", "health_monitors", "health_monitors_status", "vip_id"),
                doc.get("pool"), "pool");
        assertNames(NeutronV1Attributes.VIP, doc.get("vip"), "vip");
        assertEquals(3, doc.get("members").size());
        doc.get("members").forEach(m -> assertNames(NeutronV1Attributes.MEMBER, m, "members[]"));
        doc.get("health_monitors").forEach(m -> assertNames(without(NeutronV1Attributes.HEALTH_MONITOR, "pools"), m,
                "health_monitors[]"));
    }

    @Test
    void goldenDocumentReadsBackToTheSameLoadBalancerAsTheHandWrittenOne() {
        assertEquals(JSON.readDocument(resource("documents/web.json")),
                JSON.readDocument(resource("neutron-v1/document-web.json")));
    }
}

package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.rest.RestFixture.SUBNET;
import static org.lbaas.rest.RestFixture.SUBNET6;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("subnets, versions, extensions and path forms")
class DiscoveryApiTest extends ApiTest {

    @Test
    @DisplayName("/v2.0/subnets lists the registry's subnets, filtered and projected like any list")
    void subnets() {
        JsonNode all = api.get("/v2.0/subnets").expect(200).json().get("subnets");
        assertEquals(2, all.size());
        JsonNode first = all.get(0);
        assertEquals(SUBNET.id().toString(), first.get("id").asText());
        assertEquals("private-subnet", first.get("name").asText());
        assertEquals("10.0.0.0/24", first.get("cidr").asText());
        assertEquals("10.0.0.1", first.get("gateway_ip").asText());
        assertEquals(4, first.get("ip_version").intValue());
        assertTrue(all.get(1).get("gateway_ip").isNull());
        JsonNode byName = api.get("/v2.0/subnets?name=v6-subnet&fields=id").expect(200).json().get("subnets");
        assertEquals(1, byName.size());
        assertEquals(SUBNET6.id().toString(), byName.get(0).get("id").asText());
        assertEquals(1, byName.get(0).size());
        assertEquals(1, api.get("/v2.0/subnets?ip_version=6").json().get("subnets").size());
        assertTrue(api.get("/v2.0/subnets?tenant_id=x").error(400, "HTTPBadRequest").contains("tenant_id"));
    }

    @Test
    @DisplayName("/v2.0/subnets/{id} shows one; unknown ids are a 404; writing is not allowed")
    void subnet() {
        JsonNode s = api.get("/v2.0/subnets/" + SUBNET.id()).expect(200).json().get("subnet");
        assertEquals("private-subnet", s.get("name").asText());
        assertEquals(1, api.get("/v2.0/subnets/" + SUBNET.id() + "?fields=cidr").json().get("subnet").size());
        api.get("/v2.0/subnets/" + java.util.UUID.randomUUID()).error(404, "SubnetNotFound");
        api.get("/v2.0/subnets/private-subnet").error(404, "SubnetNotFound");
        api.post("/v2.0/subnets", "{\"subnet\": {}}").error(405, "HTTPMethodNotAllowed");
        api.delete("/v2.0/subnets/" + SUBNET.id()).error(405, "HTTPMethodNotAllowed");
    }

    @Test
    @DisplayName("a server without a listing registry serves no subnets but still works by id")
    void registryWithoutListing() {
        try (RestFixture lookupOnly = new RestFixture(b -> b.subnets(id -> id.equals(SUBNET.id())
                ? java.util.Optional.of(SUBNET) : java.util.Optional.empty()))) {
            assertEquals(0, lookupOnly.get("/v2.0/subnets").expect(200).json().get("subnets").size());
            lookupOnly.get("/v2.0/subnets/" + SUBNET.id()).expect(200);
        }
    }

    @Test
    @DisplayName("GET / is the version document, without a token")
    void versions() {
        JsonNode v = api.get("/", null).expect(200).json().get("versions");
        assertEquals("v2.0", v.get(0).get("id").asText());
        assertEquals("CURRENT", v.get(0).get("status").asText());
        assertTrue(v.get(0).get("links").get(0).get("href").asText().endsWith("/v2.0/"));
        api.post("/", "{}").error(405, "HTTPMethodNotAllowed");
    }

    @Test
    @DisplayName("GET /v2.0 lists the resources; /v2.0/extensions lists lbaas")
    void resourcesAndExtensions() {
        List<String> collections = new ArrayList<>();
        api.get("/v2.0").expect(200).json().get("resources").forEach(r -> collections.add(r.get("collection").asText()));
        assertEquals(List.of("subnets", "vips", "pools", "members", "health_monitors"), collections);
        JsonNode extensions = api.get("/v2.0/extensions").expect(200).json().get("extensions");
        assertEquals(1, extensions.size());
        assertEquals("lbaas", extensions.get(0).get("alias").asText());
        assertEquals("lbaas", api.get("/v2.0/extensions/lbaas.json").expect(200).json().get("extension").get("alias").asText());
        api.get("/v2.0/extensions/lbaasv2").error(404, "HTTPNotFound");
    }

    @Test
    @DisplayName("a .json suffix and a trailing slash are ignored, on lists, shows and sub-resources")
    void pathForms() {
        String pool = api.pool("web");
        assertEquals(1, api.get("/v2.0/lb/pools.json").expect(200).json().get("pools").size());
        assertEquals(1, api.get("/v2.0/lb/pools/").expect(200).json().get("pools").size());
        assertEquals(1, api.get("/v2.0/lb/pools.json?name=web").expect(200).json().get("pools").size());
        assertEquals("web", api.get("/v2.0/lb/pools/" + pool + ".json").expect(200).json().get("pool").get("name").asText());
        api.get("/v2.0/lb/pools/" + pool + "/stats.json").expect(200);
        api.put("/v2.0/lb/pools/" + pool + ".json", "{\"pool\": {\"name\": \"w\"}}").expect(200);
        api.post("/v2.0/lb/pools.json", RestFixture.poolBody("second")).expect(201);
        api.get("/v2.0/subnets.json").expect(200);
        api.get("/v2.0.json").expect(200);
        api.delete("/v2.0/lb/pools/" + pool + ".json").expect(204);
    }
}

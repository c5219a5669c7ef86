package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("list filters, fields projections, sorting and pagination")
class ListingApiTest extends ApiTest {

    String alpha;
    String beta;
    String gamma;

    @BeforeEach
    void start() {
        alpha = api.pool("alpha");
        beta = api.pool("beta");
        gamma = api.post("/v2.0/lb/pools", "{\"pool\": {\"name\": \"gamma\", \"subnet_id\": \"" + RestFixture.SUBNET.id()
                + "\", \"protocol\": \"TCP\", \"lb_method\": \"SOURCE_IP\", \"admin_state_up\": false}}").expect(201).json()
                .get("pool").get("id").asText();
    }

    private List<String> names(String query) {
        List<String> out = new ArrayList<>();
        api.get("/v2.0/lb/pools" + query).expect(200).json().get("pools").forEach(p -> out.add(p.get("name").asText()));
        return out;
    }

    /** Asserts that a GET answers 400 (HTTPBadRequest) with a message that names {@code mentioned}. */
    private void assertRefused(String path, String mentioned) {
        String message = api.get(path).error(400, "HTTPBadRequest");
        assertTrue(message.contains(mentioned), () -> "the message should name " + mentioned + ": " + message);
    }

    /** The attribute names of a listed or shown object, in any order. */
    private static Set<String> keys(JsonNode o) {
        return Set.copyOf(RestFixture.keys(o));
    }

    @Test
    @DisplayName("no filter lists everything in creation order")
    void all() {
        assertEquals(List.of("alpha", "beta", "gamma"), names(""));
    }

    @Test
    @DisplayName("one value matches exactly; repeated values are OR; different attributes are AND")
    void filters() {
        assertEquals(List.of("beta"), names("?name=beta"));
        assertEquals(List.of(), names("?name=bet"));
        assertEquals(List.of("alpha", "gamma"), names("?name=alpha&name=gamma"));
        assertEquals(List.of("gamma"), names("?name=alpha&name=gamma&protocol=TCP"));
        assertEquals(List.of("beta"), names("?id=" + beta));
        assertEquals(List.of("alpha", "beta"), names("?id=" + alpha + "&id=" + beta + "&id=" + gamma + "&lb_method=ROUND_ROBIN"));
    }

    @Test
    @DisplayName("booleans match True/true/1 and False/false/0; numbers numerically; lists by element")
    void typedFilters() {
        assertEquals(List.of("gamma"), names("?admin_state_up=False"));
        assertEquals(List.of("gamma"), names("?admin_state_up=0"));
        assertEquals(List.of("alpha", "beta"), names("?admin_state_up=True"));
        assertEquals(List.of("alpha", "beta"), names("?admin_state_up=true"));
        String member = api.member(alpha, "10.0.0.11", 8080);
        api.member(beta, "10.0.0.12", 8081);
        assertEquals(List.of("alpha"), names("?members=" + member));
        JsonNode members = api.get("/v2.0/lb/members?protocol_port=08080").expect(200).json().get("members");
        assertEquals(1, members.size());
        assertEquals(member, members.get(0).get("id").asText());
        assertEquals(0, api.get("/v2.0/lb/members?protocol_port=eighty").json().get("members").size());
        assertEquals(List.of(), names("?vip_id=null"), "null matches nothing");
        api.pool("two words");
        assertEquals(List.of("two words"), names("?name=two+words"), "+ is a space");
        assertEquals(List.of("two words"), names("?name=two%20words"));
    }

    @Test
    @DisplayName("an unknown filter attribute is a 400 naming it")
    void unknownFilter() {
        String message = api.get("/v2.0/lb/pools?colour=red").error(400, "HTTPBadRequest");
        assertTrue(message.contains("colour") && message.contains("pools"), message);
    }

    @Test
    @DisplayName("fields projects list and show, repeated or comma-separated; unknown fields are a 400")
    void fields() {
        JsonNode list = api.get("/v2.0/lb/pools?fields=id&fields=name").expect(200).json().get("pools");
        assertEquals(3, list.size());
        list.forEach(p -> assertEquals(Set.of("id", "name"), keys(p)));
        JsonNode comma = api.get("/v2.0/lb/pools?name=beta&fields=id,protocol").expect(200).json().get("pools");
        assertEquals(Set.of("id", "protocol"), keys(comma.get(0)));
        assertEquals(beta, comma.get(0).get("id").asText());
        JsonNode shown = api.get("/v2.0/lb/pools/" + alpha + "?fields=status&fields=lb_method").expect(200).json().get("pool");
        assertEquals(Set.of("status", "lb_method"), keys(shown));
        assertRefused("/v2.0/lb/pools?fields=nope", "nope");
        assertRefused("/v2.0/lb/pools/" + alpha + "?fields=nope", "nope");
    }

    @Test
    @DisplayName("the client's name-to-id lookup: ?name=X&fields=id")
    void clientLookup() {
        JsonNode found = api.get("/v2.0/lb/pools?name=gamma&fields=id").expect(200).json();
        assertEquals(1, found.get("pools").size());
        assertEquals(Set.of("id"), keys(found.get("pools").get(0)));
        assertEquals(gamma, found.get("pools").get(0).get("id").asText());
    }

    @Test
    @DisplayName("sort_key / sort_dir sort, with creation order for ties")
    void sorting() {
        assertEquals(List.of("gamma", "beta", "alpha"), names("?sort_key=name&sort_dir=desc"));
        assertEquals(List.of("gamma", "alpha", "beta"), names("?sort_key=admin_state_up&sort_key=name"));
        assertEquals(List.of("beta", "alpha", "gamma"), names("?sort_key=admin_state_up&sort_dir=desc&sort_key=name&sort_dir=desc"));
        assertRefused("/v2.0/lb/pools?sort_key=name&sort_dir=up", "sort_dir");
        assertRefused("/v2.0/lb/pools?sort_key=nope", "nope");
        assertRefused("/v2.0/lb/pools?sort_dir=asc", "sort_key");
    }

    @Test
    @DisplayName("limit and marker page through the list with next and previous links")
    void pagination() {
        JsonNode first = api.get("/v2.0/lb/pools?limit=2").expect(200).json();
        assertEquals(2, first.get("pools").size());
        JsonNode links = first.get("pools_links");
        assertEquals(1, links.size());
        assertEquals("next", links.get(0).get("rel").asText());
        URI next = URI.create(links.get(0).get("href").asText());
        assertEquals(api.base.getPort(), next.getPort());
        assertTrue(next.getRawQuery().contains("marker=" + beta), next.toString());
        JsonNode second = api.get(next.getRawPath() + "?" + next.getRawQuery()).expect(200).json();
        assertEquals(1, second.get("pools").size());
        assertEquals("gamma", second.get("pools").get(0).get("name").asText());
        assertEquals("previous", second.get("pools_links").get(0).get("rel").asText());
        assertFalse(second.get("pools_links").toString().contains("\"next\""), "the last page has no next link");
        assertEquals(List.of("beta"), names("?limit=1&marker=" + alpha));
        assertEquals(List.of("alpha", "beta"), names("?limit=2&marker=" + gamma + "&page_reverse=True"));
        assertEquals(List.of("alpha", "beta", "gamma"), names("?limit=0"));
        assertEquals(List.of("alpha", "beta", "gamma"), names("?verbose=True"));
        assertRefused("/v2.0/lb/pools?limit=-1", "limit");
        assertRefused("/v2.0/lb/pools?limit=1&limit=2", "limit");
        assertRefused("/v2.0/lb/pools?marker=nope", "marker");
    }

    @Test
    @DisplayName("filters work on every collection: vips, members, health monitors")
    void otherCollections() {
        api.member(alpha, "10.0.0.11", 8080);
        api.member(alpha, "10.0.0.12", 8080);
        api.member(beta, "10.0.0.11", 8080);
        assertEquals(2, api.get("/v2.0/lb/members?pool_id=" + alpha).json().get("members").size());
        assertEquals(2, api.get("/v2.0/lb/members?address=10.0.0.11").json().get("members").size());
        String m = api.monitor(5, 3);
        api.monitor(9, 3);
        assertEquals(m, api.get("/v2.0/lb/health_monitors?delay=5&fields=id").json().get("health_monitors").get(0).get("id").asText());
        String vip = api.vip(alpha, "front");
        api.vip(beta, "back");
        JsonNode vips = api.get("/v2.0/lb/vips?name=front&fields=id&fields=address").json().get("vips");
        assertEquals(1, vips.size());
        assertEquals(vip, vips.get(0).get("id").asText());
        assertEquals(Set.of("id", "address"), keys(vips.get(0)));
    }
}

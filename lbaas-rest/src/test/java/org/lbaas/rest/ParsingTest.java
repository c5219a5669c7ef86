package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("query strings, paths, filter values and Neutron's input conversions")
class ParsingTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    @Test
    void queryKeepsOrderAndRepeatsAndDecodes() {
        Query q = Query.parse("name=a+b&fields=id&fields=name,status&name=c%26d&flag&=x");
        assertEquals(List.of("a b", "c&d"), q.values("name"));
        assertEquals(List.of("id", "name", "status"), q.fields());
        assertEquals(List.of(""), q.values("flag"));
        assertEquals(List.of("name", "fields", "flag", ""), List.copyOf(q.all().keySet()));
        assertThrows(ApiError.class, () -> q.single("name"));
        assertEquals(Map.of(), Query.parse(null).all());
        assertEquals(400, assertThrows(ApiError.class, () -> Query.parse("name=%zz")).status());
    }

    @Test
    void pathsIgnoreEmptySegmentsAndTheJsonSuffix() {
        assertEquals(List.of("v2.0", "lb", "pools"), ApiHandler.segments("/v2.0/lb/pools.json"));
        assertEquals(List.of("v2.0", "lb", "pools"), ApiHandler.segments("//v2.0/lb//pools/"));
        assertEquals(List.of("v2.0", "lb", "pools", "a b+c"), ApiHandler.segments("/v2.0/lb/pools/a%20b+c"));
        assertEquals(List.of(".json"), ApiHandler.segments("/.json"), "a bare .json is a name, not a suffix");
        assertEquals(List.of(), ApiHandler.segments("/"));
    }

    @Test
    void filterValuesCompareByJsonType() {
        assertTrue(Listing.matches(N.textNode("web"), "web"));
        assertFalse(Listing.matches(N.textNode("web"), "Web"));
        assertTrue(Listing.matches(N.numberNode(80), "80"));
        assertTrue(Listing.matches(N.numberNode(80), "80.0"));
        assertFalse(Listing.matches(N.numberNode(80), "eighty"));
        assertTrue(Listing.matches(N.booleanNode(true), "True"));
        assertTrue(Listing.matches(N.booleanNode(false), "0"));
        assertFalse(Listing.matches(N.booleanNode(false), "no"));
        assertTrue(Listing.matches(N.arrayNode().add("m1").add("m2"), "m2"));
        assertFalse(Listing.matches(N.nullNode(), "null"));
        assertFalse(Listing.matches(N.objectNode().put("type", "SOURCE_IP"), "SOURCE_IP"));
        assertFalse(Listing.matches(null, "x"));
    }

    @Test
    void sortOrderPutsNullsFirstThenByValue() {
        assertTrue(Listing.compare(N.nullNode(), N.textNode("a")) < 0);
        assertTrue(Listing.compare(N.numberNode(9), N.numberNode(10)) < 0);
        assertTrue(Listing.compare(N.textNode("b"), N.textNode("a")) > 0);
        assertTrue(Listing.compare(N.booleanNode(false), N.booleanNode(true)) < 0);
        assertEquals(0, Listing.compare(N.textNode("x"), N.textNode("x")));
    }

    @Test
    void conversionsTurnTheClientsStringsIntoNumbersAndBooleans() {
        ObjectNode o = N.objectNode().put("protocol_port", "8080").put("weight", " 2 ").put("delay", "+3")
                .put("connection_limit", "-1").put("admin_state_up", "False").put("name", "80").put("timeout", "1.5")
                .put("max_retries", "three");
        o.put("address", "10.0.0.1");
        Bodies.convert(o);
        assertEquals(8080, o.get("protocol_port").intValue());
        assertTrue(o.get("protocol_port").isNumber());
        assertEquals(2, o.get("weight").intValue());
        assertEquals(3, o.get("delay").intValue());
        assertEquals(-1, o.get("connection_limit").intValue());
        assertFalse(o.get("admin_state_up").booleanValue());
        assertTrue(o.get("admin_state_up").isBoolean());
        assertEquals("80", o.get("name").textValue(), "only the integer attributes are converted");
        assertEquals("1.5", o.get("timeout").textValue(), "not an integer: left for the codec to report");
        assertEquals("three", o.get("max_retries").textValue());
        ObjectNode b = N.objectNode().put("admin_state_up", "1");
        Bodies.convert(b);
        assertTrue(b.get("admin_state_up").booleanValue());
        ObjectNode c = N.objectNode().put("admin_state_up", "yes");
        Bodies.convert(c);
        assertEquals("yes", c.get("admin_state_up").textValue());
    }

    @Test
    void tenantDefaultsAndIsChecked() {
        ObjectNode absent = N.objectNode();
        Bodies.tenant(absent, "pool", Caller.tenant("a"));
        assertEquals("a", absent.get("tenant_id").textValue());
        Bodies.tenant(N.objectNode().put("tenant_id", "a"), "pool", Caller.tenant("a"));
        ApiError e = assertThrows(ApiError.class, () -> Bodies.tenant(N.objectNode().put("tenant_id", "b"), "pool", Caller.tenant("a")));
        assertEquals(403, e.status());
        Bodies.tenant(N.objectNode().put("tenant_id", "b"), "pool", Caller.admin("a"));
    }

    @Test
    void jsonContentTypes() {
        assertTrue(Bodies.isJson("application/json"));
        assertTrue(Bodies.isJson("Application/JSON; charset=utf-8"));
        assertTrue(Bodies.isJson("application/vnd.openstack+json"));
        assertFalse(Bodies.isJson("text/plain"));
        assertFalse(Bodies.isJson("application/x-www-form-urlencoded"));
    }
}

package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertExactViolations;
import static org.lbaas.api.json.JsonFixtures.assertOnlyViolation;
import static org.lbaas.api.json.JsonFixtures.assertViolation;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.violations;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lbaas.model.Violation;

/** Text that is not JSON, and JSON of the wrong shape: rejected with the place or the field named. */
class MalformedInputTest {

    private static final String WEB = resource("documents/web.json");

    private static InvalidJsonException invalid(String text) {
        return assertThrows(InvalidJsonException.class, () -> JSON.readDocument(text));
    }

    @Test
    void truncatedDocumentSaysWhereItEnds() {
        String truncated = WEB.substring(0, WEB.indexOf("\"weight\": 2"));
        InvalidJsonException e = invalid(truncated);
        assertEquals(truncated.split("\n", -1).length, e.line(), e.getMessage());
        assertEquals("members[1]", e.path().substring(0, "members[1]".length()), e.getMessage());
        assertTrue(e.detail().contains("end-of-input"), e.detail());
        assertTrue(e.getMessage().startsWith("malformed JSON at line " + e.line() + ", column " + e.column()),
                e.getMessage());
    }

    @Test
    void strayCharacterIsLocatedByLineColumnAndPath() {
        String broken = WEB.replace("\"protocol_port\": 8080,\n      \"weight\": 2", "\"protocol_port\": 8080;\n      \"weight\": 2");
        InvalidJsonException e = invalid(broken);
        int line = broken.substring(0, broken.indexOf(';')).split("\n", -1).length;
        assertEquals(line, e.line());
        assertEquals("members[1].protocol_port", e.path());
        Violation v = e.violation();
        assertEquals("members[1].protocol_port", v.path());
        assertTrue(v.rule().startsWith("is not well-formed JSON"), v.rule());
        assertEquals("line " + e.line() + ", column " + e.column(), v.rejectedValue());
    }

    @Test
    void duplicateKeysAreMalformed() {
        InvalidJsonException e = assertThrows(InvalidJsonException.class,
                () -> JSON.readMemberUpdate("{\"member\": {\"weight\": 1,\n \"weight\": 200}}"));
        assertEquals(2, e.line());
        assertEquals("member.weight", e.path());
        assertTrue(e.detail().contains("Duplicate field 'weight'"), e.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n ", "{} {}", "{\"a\": 1} x", "{'pool': {}}", "{\"pool\": {},}", "[1, 2", "nul",
            "{\"pool\": {\"name\": \"a\nb\"}}", "{\"pool\": NaN}", "{\"pool\": 012}", "// comment\n{}"})
    void everyKindOfMalformedTextIsInvalidJsonWithALocation(String text) {
        InvalidJsonException e = invalid(text);
        assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
        assertTrue(!e.detail().isBlank() && !e.detail().contains("\n"), e.detail());
        assertTrue(e.violation().message().contains("is not well-formed JSON"), e.violation().message());
    }

    @Test
    void topLevelFailureHasTheRootPath() {
        InvalidJsonException e = invalid("{} trailing");
        assertEquals("", e.path());
        assertEquals("$", e.violation().path());
        assertEquals(1, e.line());
    }

    @Test
    void wrongTypesNameTheField() {
        String doc = WEB.replace("\"protocol_port\": 80,", "\"protocol_port\": \"80\",")
                .replace("\"connection_limit\": 1000", "\"connection_limit\": 1000.5")
                .replace("\"name\": \"web\",", "\"name\": [\"web\"],")
                .replace("\"delay\": 2,", "\"delay\": true,")
                .replace("\"type\": \"HTTP_COOKIE\"", "\"type\": 1");
        List<Violation> all = violations(() -> JSON.readDocument(doc));
        assertEquals("vip.protocol_port: must be an integer (rejected: \"80\")",
                assertViolation(all, "vip.protocol_port", "must be an integer").message());
        assertEquals("1000.5", assertViolation(all, "vip.connection_limit", "must be an integer").rejectedValue());
        assertEquals("[\"web\"]", assertViolation(all, "pool.name", "must be a string").rejectedValue());
        assertViolation(all, "health_monitors[0].delay", "must be an integer");
        assertViolation(all, "vip.session_persistence.type", "must be a string, one of [SOURCE_IP, HTTP_COOKIE, APP_COOKIE]");
        assertEquals(5, all.size(), all::toString);
    }

    @Test
    void unknownEnumValuesListTheAllowedOnes() {
        assertExactViolations(() -> JSON.readDocument(WEB.replace("\"protocol\": \"HTTP\",\n    \"lb_method\"",
                "\"protocol\": \"UDP\",\n    \"lb_method\"").replace("\"type\": \"HTTP\"", "\"type\": \"http\"")),
                "pool.protocol", "must be one of [TCP, HTTP, HTTPS]",
                "health_monitors[0].type", "values are upper case");
    }

    @Test
    void unknownFieldIsNamedWithTheAcceptedOnes() {
        Violation v = assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"weight\": 2", "\"weight\": 2, \"backup\": true")),
                "members[1].backup", "is not an attribute of a member");
        assertTrue(v.rule().contains("accepted here: id, tenant_id, pool_id, address, protocol_port, weight"), v.rule());
    }

    @Test
    void missingFieldIsNamed() {
        assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"protocol_port\": 80,", "")),
                "vip.protocol_port", "is required");
    }

    @Test
    void badUuidIsNamed() {
        assertOnlyViolation(() -> JSON.readDocument(WEB.replace("e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "monitor-1")),
                "health_monitors[0].id", "must be a UUID");
        assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"id\": \"c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f\"",
                "\"id\": \"c7d8e9f01a2b4c3d8e4f5a6b7c8d9e0f\"")), "vip.id", "must be a UUID");
    }

    @Test
    void hostNameInsteadOfAnIpIsNamedAndNeverResolved() {
        Violation v = assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"10.20.0.12\"", "\"localhost\"")),
                "members[1].address", "host names are not resolved");
        assertEquals("\"localhost\"", v.rejectedValue());
        assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"gateway_ip\": \"10.20.0.1\"",
                "\"gateway_ip\": \"router.example.com\"")), "subnet.gateway_ip", "IPv4 or IPv6");
    }

    @Test
    void nestedErrorsInMembers3AreReportedWithTheirPath() {
        String fourth = ",\n    {\"id\": \"11111111-2222-4333-8444-555555555504\", \"address\": \"10.20.0.14\","
                + " \"protocol_port\": 8080, \"weight\": -1, \"admin_state_up\": \"yes\", \"status\": \"RUNNING\"}\n  ]";
        String doc = WEB.replaceFirst("\\}\\s*\\]", "}" + fourth);
        assertExactViolations(() -> JSON.readDocument(doc),
                "members[3].weight", "between 0 and 256",
                "members[3].admin_state_up", "must be true or false",
                "members[3].status", "must be one of [PENDING_CREATE");
    }

    @Test
    void documentMustBeAnObjectWithObjectsAndLists() {
        assertOnlyViolation(() -> JSON.readDocument("[]"), "$", "must be a JSON object");
        assertExactViolations(() -> JSON.readDocument("{\"subnet\": \"s\", \"pool\": null, \"members\": {},"
                + " \"health_monitors\": [3]}"),
                "subnet", "must be a JSON object",
                "pool", "must be a JSON object",
                "members", "must be a list",
                "health_monitors[0]", "must be a JSON object (a health monitor)");
    }

    @Test
    void hugeNumbersAreNotSilentlyTruncated() {
        assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"protocol_port\": 80,", "\"protocol_port\": 4294967376,")),
                "vip.protocol_port", "must be an integer from");
        assertOnlyViolation(() -> JSON.readStats("{\"stats\": {\"bytes_in\": 99999999999999999999, \"bytes_out\": 0,"
                + " \"active_connections\": 0, \"total_connections\": 0}}"), "stats.bytes_in", "must be an integer from");
        assertOnlyViolation(() -> JSON.readStats("{\"stats\": {\"bytes_in\": -1, \"bytes_out\": 0,"
                + " \"active_connections\": 0, \"total_connections\": 0}}"), "stats.bytes_in", "between 0");
    }

    @Test
    void controlCharactersInRejectedValuesAreShownEscaped() {
        Violation v = assertOnlyViolation(() -> JSON.readDocument(WEB.replace("\"name\": \"web\",", "\"name\": \"web\\nbackend x\",")),
                "pool.name", "control characters");
        assertTrue(v.message().contains("\\n") && !v.message().contains("\n"), v.message());
    }
}

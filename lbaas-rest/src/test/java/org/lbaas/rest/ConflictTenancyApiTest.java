package org.lbaas.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A 409 names the conflicting object only to a caller who may see it. */
@DisplayName("conflicts do not leak other tenants' ids")
class ConflictTenancyApiTest extends ApiTest {

    String vipA;
    String portA;

    @BeforeEach
    void start() {
        String poolA = api.pool("a");
        var vip = api.post("/v2.0/lb/vips", vipBody(poolA, "\"address\": \"10.0.0.50\"")).expect(201).json().get("vip");
        vipA = vip.get("id").asText();
        portA = vip.get("port_id").asText();
    }

    static String vipBody(String pool, String extra) {
        return "{\"vip\": {\"pool_id\": \"" + pool + "\", \"subnet_id\": \"" + RestFixture.SUBNET.id()
                + "\", \"protocol_port\": 80, \"protocol\": \"HTTP\", " + extra + "}}";
    }

    @Test
    @DisplayName("another tenant's taken address: 409 IpAddressInUse naming the address and subnet, not the VIP")
    void addressOfAnotherTenant() {
        String poolB = api.pool("b", RestFixture.TOKEN_B);
        String message = api.post("/v2.0/lb/vips", vipBody(poolB, "\"address\": \"10.0.0.50\""), RestFixture.TOKEN_B)
                .error(409, "IpAddressInUse");
        assertTrue(message.contains("10.0.0.50") && message.contains(RestFixture.SUBNET.id().toString()), message);
        assertFalse(message.contains(vipA), "tenant b must not learn tenant a's vip id: " + message);
    }

    @Test
    @DisplayName("another tenant's port: 409 PortInUse without the VIP's id")
    void portOfAnotherTenant() {
        String poolB = api.pool("b", RestFixture.TOKEN_B);
        String message = api.post("/v2.0/lb/vips", vipBody(poolB, "\"port_id\": \"" + portA + "\""), RestFixture.TOKEN_B)
                .error(409, "PortInUse");
        assertTrue(message.contains(portA), message);
        assertFalse(message.contains(vipA), message);
    }

    @Test
    @DisplayName("the caller's own VIP, and any VIP for an administrator, is named")
    void ownIsNamed() {
        String poolA2 = api.pool("a2");
        String own = api.post("/v2.0/lb/vips", vipBody(poolA2, "\"address\": \"10.0.0.50\"")).error(409, "IpAddressInUse");
        assertTrue(own.contains(vipA), own);
        String poolAdmin = api.pool("x", RestFixture.TOKEN_ADMIN);
        String admin = api.post("/v2.0/lb/vips", vipBody(poolAdmin, "\"address\": \"10.0.0.50\""), RestFixture.TOKEN_ADMIN)
                .error(409, "IpAddressInUse");
        assertTrue(admin.contains(vipA), admin);
    }
}

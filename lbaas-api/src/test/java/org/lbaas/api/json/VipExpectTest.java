package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.tree;
import static org.lbaas.api.json.JsonFixtures.vip;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/** The VIP in Neutron v1's wire format, against golden files. */
class VipExpectTest {

    private static Vip plainVip() {
        return vip().toBuilder().id(UUID.fromString("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d08")).sessionPersistence(null).connectionLimit(Vip.UNLIMITED).adminStateUp(false)
                .status(Status.PENDING_UPDATE).statusDescription("").build();
    }

    @Test
    void vipWithAppCookieMatchesTheGoldenFile() {
        assertGolden("vip.json", JSON.writeVip(vip()));
    }

    @Test
    void goldenVipHasExactlyTheNeutronAttributes() {
        JsonNode vip = tree(resource("neutron-v1/vip.json")).get("vip");
        assertNames(NeutronV1Attributes.VIP, vip, "vip");
        assertNames(NeutronV1Attributes.SESSION_PERSISTENCE, vip.get("session_persistence"), "session_persistence");
    }

    @Test
    void goldenVipReadsBackToTheSameVip() {
        assertEquals(vip(), JSON.readVip(resource("neutron-v1/vip.json")));
    }

    @Test
    void vipWithoutPersistenceShowsNullAndMatchesTheGoldenFile() {
        String written = JSON.writeVip(plainVip());
        assertGolden("vip-no-persistence.json", written);
        JsonNode vip = tree(written).get("vip");
        assertNames(NeutronV1Attributes.VIP, vip, "vip");
        assertTrue(vip.get("session_persistence").isNull());
    }

    @Test
    void cookieNameIsWrittenOnlyForAppCookie() {
        JsonNode persistence = tree(JSON.writeVip(vip().toBuilder().sessionPersistence(SessionPersistence.httpCookie())
                .build())).get("vip").get("session_persistence");
        assertNames(List.of("type"), persistence, "session_persistence");
        assertEquals("HTTP_COOKIE", persistence.get("type").textValue());
    }

    @Test
    void vipListMatchesTheGoldenFileAndReadsBack() {
        List<Vip> vips = List.of(vip(), plainVip());
        assertGolden("vips.json", JSON.writeVips(vips));
        JsonNode items = tree(resource("neutron-v1/vips.json")).get("vips");
        assertEquals(2, items.size());
        items.forEach(item -> assertNames(NeutronV1Attributes.VIP, item, "vips[]"));
        assertEquals(vips, JSON.readVips(resource("neutron-v1/vips.json")));
    }
}

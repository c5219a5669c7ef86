package org.lbaas.api.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lbaas.api.json.JsonFixtures.JSON;
import static org.lbaas.api.json.JsonFixtures.assertGolden;
import static org.lbaas.api.json.JsonFixtures.assertNames;
import static org.lbaas.api.json.JsonFixtures.member;
import static org.lbaas.api.json.JsonFixtures.resource;
import static org.lbaas.api.json.JsonFixtures.tree;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lbaas.model.Member;
import org.lbaas.model.Status;

/** The member in Neutron v1's wire format, against golden files. */
class MemberExpectTest {

    private static Member ipv6Member() {
        return member(3).toBuilder().address("2001:DB8:0:0::0:7").protocolPort(443).weight(0).adminStateUp(false)
                .status(Status.ERROR).statusDescription("backend refused the connection").build();
    }

    @Test
    void memberMatchesTheGoldenFile() {
        assertGolden("member.json", JSON.writeMember(member(1)));
    }

    @Test
    void goldenMemberHasExactlyTheNeutronAttributesAndReadsBack() {
        String golden = resource("neutron-v1/member.json");
        assertNames(NeutronV1Attributes.MEMBER, tree(golden).get("member"), "member");
        assertEquals(member(1), JSON.readMember(golden));
    }

    @Test
    void memberListWithACanonicalIpv6AddressMatchesTheGoldenFileAndReadsBack() {
        List<Member> members = List.of(member(1), member(2), ipv6Member());
        assertGolden("members.json", JSON.writeMembers(members));
        String golden = resource("neutron-v1/members.json");
        tree(golden).get("members").forEach(item -> assertNames(NeutronV1Attributes.MEMBER, item, "members[]"));
        assertEquals("2001:db8::7", tree(golden).get("members").get(2).get("address").textValue());
        assertEquals(members, JSON.readMembers(golden));
    }
}

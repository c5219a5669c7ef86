package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.haproxy.internal.keepalived.HaPair;

/** The refusals of {@link PeerSet}: each error names the field, shows the value and states the rule. */
class PeerSetTest {

    private static final HaPair PAIR = new HaPair(5);

    private static PeerSet.Peer peer(String name, int ordinal) {
        return new PeerSet.Peer(name, PAIR.address(ordinal), GoldenCases.PEER_PORT);
    }

    private static void assertRefused(String field, String value, String rule, Runnable r) {
        PeerSetException e = assertThrows(PeerSetException.class, r::run);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void aPairsPeerSetKeepsItsPeersInOrder() {
        PeerSet s = GoldenCases.pairPeers(PAIR, 1);
        assertEquals("instance-1", s.localName());
        assertEquals(List.of("instance-0", "instance-1"), s.peers().stream().map(PeerSet.Peer::name).toList());
        assertEquals("169.254.192.41", s.peers().get(0).address().getHostAddress());
        assertEquals("169.254.192.42", s.peers().get(1).address().getHostAddress());
    }

    @Test
    void badPeerNameIsRefused() {
        assertRefused("peers[1].name", "'bad name'", "must be 1 to 128 letters, digits or _ . : -",
                () -> new PeerSet("a", List.of(peer("a", 0), peer("bad name", 1))));
        assertRefused("peers[0].name", "'x\\u000abackend y'", "starting with a letter or digit",
                () -> new PeerSet("a", List.of(peer("x\nbackend y", 0), peer("a", 1))));
        assertRefused("peers[0].name", "''", "must be 1 to 128",
                () -> new PeerSet("a", List.of(peer("", 0), peer("a", 1))));
    }

    @Test
    void badLocalNameIsRefused() {
        assertRefused("localName", "'-a'", "starting with a letter or digit",
                () -> new PeerSet("-a", List.of(peer("a", 0), peer("b", 1))));
    }

    @Test
    void duplicateNamesAreRefused() {
        assertRefused("peers[1].name", "'a'", "must be unique among the peers",
                () -> new PeerSet("a", List.of(peer("a", 0), peer("a", 1))));
    }

    @Test
    void duplicateEndpointsAreRefused() {
        assertRefused("peers[1].address", "'169.254.192.41:1025'", "must be unique among the peers (address and port)",
                () -> new PeerSet("a", List.of(peer("a", 0), peer("b", 0))));
    }

    @Test
    void localPeerMustBeInTheSet() {
        assertRefused("localName", "'c'", "must be the name of one of the peers [a, b]",
                () -> new PeerSet("c", List.of(peer("a", 0), peer("b", 1))));
    }

    @Test
    void aSetNeedsTwoPeers() {
        assertRefused("peers", "'1 peer(s)'", "must hold 2 to 16 peers", () -> new PeerSet("a", List.of(peer("a", 0))));
    }

    @Test
    void badPortAndScopedAddressAreRefused() throws Exception {
        assertRefused("peers[1].address", "'169.254.192.42 port 0'", "a port from 1 to 65535",
                () -> new PeerSet("a", List.of(peer("a", 0), new PeerSet.Peer("b", PAIR.address(1), 0))));
        InetAddress scoped = InetAddress.getByName("fe80::1%1");
        assertRefused("peers[1].address", "fe80:0:0:0:0:0:0:1%1", "without IPv6 zone",
                () -> new PeerSet("a", List.of(peer("a", 0), new PeerSet.Peer("b", scoped, 1025))));
    }
}

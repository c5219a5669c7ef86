package org.lbaas.driver.haproxy.internal.config;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The HAProxy instances that replicate one load balancer's stick tables (an ACTIVE_STANDBY pair's
 * two instances, over their HA link addresses, see {@code keepalived.HaPair#address(int)}), as seen
 * from one of them: {@code localName} is the instance the configuration is rendered for.
 * {@link HaproxyConfigRenderer#render(org.lbaas.model.LoadBalancer, org.lbaas.driver.haproxy.internal.InstanceFiles, PeerSet)}
 * writes it as a {@code peers} section plus {@code localpeer} in {@code global}.
 *
 * <p>Rules, checked here so that rendering never fails because of a peer set (each refusal is a
 * {@link PeerSetException} naming the field, the value and the rule):
 * <ul>
 *   <li>{@code localName} and every peer name are HAProxy identifiers ({@link Token#ident}: 1 to 128
 *       letters, digits, {@code _ . : -}, starting with a letter or digit);</li>
 *   <li>at least two peers (one alone replicates to nobody), at most {@value #MAX_PEERS};</li>
 *   <li>names are unique, and so are address/port pairs;</li>
 *   <li>{@code localName} is the name of one of the peers (HAProxy listens on that peer's address and
 *       refuses a {@code peers} section without its local peer).</li>
 * </ul>
 *
 * @param localName the name of the peer this configuration is for
 * @param peers every peer, the local one included, in the order they are written
 */
public record PeerSet(String localName, List<Peer> peers) {

    /** The most peers a set may hold. */
    public static final int MAX_PEERS = 16;

    /**
     * One HAProxy instance of a peer set: written {@code peer <name> <address>:<port>}.
     *
     * @param name the peer's name, an identifier
     * @param address where the peer listens for replication (an HA link address), without IPv6 zone
     * @param port 1 to 65535
     */
    public record Peer(String name, InetAddress address, int port) {

        public Peer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }
    }

    public PeerSet {
        Objects.requireNonNull(localName, "localName");
        Objects.requireNonNull(peers, "peers");
        peers = List.copyOf(peers);
        ident("localName", localName);
        if (peers.size() < 2 || peers.size() > MAX_PEERS) {
            throw new PeerSetException("peers", peers.size() + " peer(s)", "must hold 2 to " + MAX_PEERS + " peers");
        }
        Set<String> names = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            String field = "peers[" + i + "]";
            ident(field + ".name", p.name());
            if (!names.add(p.name())) {
                throw new PeerSetException(field + ".name", p.name(), "must be unique among the peers");
            }
            String endpoint = endpoint(field, p).text();
            if (!endpoints.add(endpoint)) {
                throw new PeerSetException(field + ".address", endpoint, "must be unique among the peers (address and port)");
            }
        }
        if (!names.contains(localName)) {
            throw new PeerSetException("localName", localName, "must be the name of one of the peers " + names.stream().sorted().toList());
        }
    }

    /** The token of a peer's {@code <address>:<port>}. */
    static Token endpoint(String field, Peer p) {
        try {
            return Token.address(p.address(), p.port());
        } catch (InvalidTokenException e) {
            throw new PeerSetException(field + ".address", p.address().getHostAddress() + " port " + p.port(),
                    "must be an IP address without IPv6 zone and a port from 1 to 65535", e);
        }
    }

    private static void ident(String field, String value) {
        try {
            Token.ident(value);
        } catch (InvalidTokenException e) {
            throw new PeerSetException(field, value,
                    "must be 1 to 128 letters, digits or _ . : -, starting with a letter or digit", e);
        }
    }
}

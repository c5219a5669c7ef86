package org.lbaas.api.json;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * lbaas-api's own generators for the JSON and store tests: valid values, texts with quotes,
 * backslashes and non-ASCII letters, and whole load balancers whose parts agree (one tenant, the
 * VIP inside the subnet, unique members). To be replaced by testkit's shipped arbitraries.
 */
@SuppressWarnings("exports") // test code: jqwik is on the test path, not a requirement of the module
public final class LoadBalancerArbitraries {

    /** The tenant of every generated object. */
    public static final String TENANT = JsonFixtures.TENANT;

    private LoadBalancerArbitraries() {
    }

    public static Arbitrary<UUID> ids() {
        return Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()));
    }

    /** Printable text a user could type, including quotes, backslashes and non-ASCII letters. */
    public static Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('é', 'ß', '中', '€', '"', '\\').ofMaxLength(40);
    }

    /** Usable unicast addresses: IPv4 and IPv6 in 2001::/16. */
    public static Arbitrary<InetAddress> addresses() {
        Arbitrary<InetAddress> v4 = Arbitraries.integers().between(1, 223).tuple4().map(t ->
                address(new byte[] {t.get1().byteValue(), t.get2().byteValue(), t.get3().byteValue(), t.get4().byteValue()}));
        Arbitrary<InetAddress> v6 = Arbitraries.integers().between(0, 0xffff).list().ofSize(7).map(words -> {
            byte[] b = new byte[16];
            b[0] = 0x20;
            b[1] = 0x01;
            for (int i = 0; i < 7; i++) {
                b[2 + 2 * i] = (byte) (words.get(i) >> 8);
                b[3 + 2 * i] = words.get(i).byteValue();
            }
            return address(b);
        });
        return Arbitraries.oneOf(v4, v6).filter(IpAddresses::isUsableUnicast);
    }

    static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Arbitrary<Optional<SessionPersistence>> persistences() {
        return Arbitraries.of(Optional.empty(), Optional.of(SessionPersistence.sourceIp()),
                Optional.of(SessionPersistence.httpCookie()), Optional.of(SessionPersistence.appCookie("SESSION_id-1")));
    }

    /** Monitors of {@link #TENANT}; HTTP and HTTPS ones with a check. */
    public static Arbitrary<HealthMonitor> monitors() {
        Arbitrary<HttpCheck> checks = Combinators.combine(Arbitraries.of(HttpMethod.class),
                Arbitraries.of("/", "/health", "/a/b?c=d&e=%20f", "/~user/status.json"),
                Arbitraries.of("200", "200,202,204", "200-299", "301,302")).as((m, p, c) -> new HttpCheck(m, p, new ExpectedCodes(c)));
        return Combinators.combine(ids(), Arbitraries.of(MonitorType.class), Arbitraries.integers().between(1, 86_400),
                Arbitraries.integers().between(1, 10), checks, Arbitraries.of(true, false))
                .as((id, type, delay, retries, check, up) -> new HealthMonitor(id, TENANT, type, delay, Math.max(1, delay / 2), retries,
                        type.isHttp() ? Optional.of(check) : Optional.empty(), up));
    }

    /** An IPv4 /24 or an IPv6 /64, with or without a gateway (its first host). */
    public static Arbitrary<Subnet> subnets() {
        return Combinators.combine(ids(), texts(), Arbitraries.integers().between(0, 0xffff), Arbitraries.of(4, 6),
                Arbitraries.of(true, false)).as((id, name, n, version, gateway) -> {
                    String net = version == 4 ? "10." + (n >> 8) + "." + (n & 0xff) + ".0/24" : "2001:db8:" + Integer.toHexString(n) + "::/64";
                    Cidr cidr = Cidr.parse(net);
                    Optional<InetAddress> gw = gateway ? Optional.of(host(cidr, 1)) : Optional.empty();
                    return new Subnet(id, name, cidr, gw);
                });
    }

    /** The {@code n}th address after the subnet's network address. */
    static InetAddress host(Cidr cidr, int n) {
        byte[] raw = cidr.network().getAddress();
        raw[raw.length - 1] = (byte) n;
        return address(raw);
    }

    private static Arbitrary<Pool> pools(UUID subnetId) {
        return Combinators.combine(ids(), texts(), texts(), Arbitraries.of(Protocol.class), Arbitraries.of(LbMethod.class),
                Arbitraries.of("", "haproxy-ns", "in-memory"), Arbitraries.of(true, false), Arbitraries.of(Status.class))
                .as((id, name, description, protocol, method, provider, up, status) -> new Pool(id, TENANT, name,
                        description, subnetId, protocol, method, provider, up, status, status.isPending() ? "" : name));
    }

    private static Arbitrary<Optional<Vip>> vips(Subnet subnet, Pool pool) {
        Arbitrary<Vip> vip = Combinators.combine(ids(), ids(), texts(), Arbitraries.integers().between(2, 250),
                Arbitraries.integers().between(1, 65_535), persistences(), Arbitraries.integers().between(-1, 1_000_000),
                Arbitraries.of(Status.class)).as((id, port, name, host, protocolPort, persistence, limit, status) ->
                new Vip(id, TENANT, name, name, subnet.id(), host(subnet.cidr(), host), port, protocolPort, pool.protocol(),
                        pool.id(), persistence.filter(p -> !p.type().usesCookies() || pool.protocol().isHttp()), limit,
                        protocolPort % 2 == 0, status, name));
        return Arbitraries.oneOf(Arbitraries.just(Optional.empty()), vip.map(Optional::of));
    }

    private static Arbitrary<List<Member>> members(Pool pool) {
        Arbitrary<Member> member = Combinators.combine(ids(), addresses(), Arbitraries.integers().between(1, 65_535),
                Arbitraries.integers().between(0, Member.MAX_WEIGHT), Arbitraries.of(true, false), Arbitraries.of(Status.class),
                texts()).as((id, address, port, weight, up, status, why) ->
                new Member(id, TENANT, pool.id(), address, port, weight, up, status, why));
        return member.list().ofMaxSize(5).uniqueElements(m -> IpAddresses.toText(m.address()) + "/" + m.protocolPort())
                .uniqueElements(Member::id);
    }

    /** Whole load balancers: a subnet, a pool on it, maybe a VIP, up to 5 members and 3 monitors. */
    public static Arbitrary<LoadBalancer> loadBalancers() {
        return subnets().flatMap(subnet -> pools(subnet.id()).flatMap(pool ->
                Combinators.combine(vips(subnet, pool), members(pool), monitors().list().ofMaxSize(3)
                        .uniqueElements(HealthMonitor::id)).as((vip, members, monitors) ->
                        new LoadBalancer(subnet, pool, vip, members, monitors))));
    }
}

package org.lbaas.testkit;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.arbitraries.ListArbitrary;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The generators behind {@link LbArbitraries}. Every value they produce is valid by
 * construction; the distributions favour what real deployments look like (private IPv4 ranges,
 * /24 and /64 subnets, common ports, weight 1, GET /) and reach the boundaries of each rule now and
 * then.
 */
final class Gen {

    /** Longest name or description the model accepts. */
    static final int MAX_TEXT = 255;
    /** Longest status description the model accepts. */
    static final int MAX_STATUS_DESCRIPTION = 1024;
    /** Longest cookie name the model accepts. */
    static final int MAX_COOKIE_NAME = 64;
    /** Longest URL path the model accepts. */
    static final int MAX_URL_PATH = 1024;
    /** Largest monitor delay or timeout, in seconds. */
    static final int MAX_DELAY = 86_400;

    /** RFC 6265 token characters. */
    static final String COOKIE_CHARS =
            "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** RFC 3986 pchar without the percent escape, plus nothing else. */
    static final String PCHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";

    private static final int[] V4_BLOCKS = {0x0A00_0000, 0xAC10_0000, 0xC0A8_0000};
    private static final int[] V4_BLOCK_PREFIXES = {8, 12, 16};
    private static final BigInteger[] V6_BLOCKS = {
        new BigInteger("20010db8000000000000000000000000", 16), new BigInteger("fd000000000000000000000000000000", 16)};
    private static final int[] V6_BLOCK_PREFIXES = {32, 8};
    private static final BigInteger ALL_ONES_128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private Gen() {
    }

    static <T> Tuple2<Integer, Arbitrary<? extends T>> weight(int weight, Arbitrary<? extends T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }

    // ---------------------------------------------------------------- identifiers and text

    /**
     * Random version-4 UUIDs, built from two longs so that runs are reproducible by seed. The longs
     * are scrambled by a bijection, so ids look random (jqwik favours small numbers) and distinct
     * longs stay distinct ids.
     */
    static Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as((hi, lo) -> new UUID((scramble(hi) & ~0xF000L) | 0x4000L,
                        (scramble(lo) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L));
    }

    /** The SplitMix64 finalizer: a bijection on longs that maps 0 to 0. */
    private static long scramble(long x) {
        long z = (x ^ (x >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** Keystone-style project ids (32 lower-case hex digits) and readable tenant names. */
    static Arbitrary<String> tenantIds() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32);
        Arbitrary<String> readable = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withCharRange('A', 'Z').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("_.-").ofMaxLength(30))
                .as(String::concat);
        Arbitrary<String> longest = Arbitraries.strings().withCharRange('a', 'z').ofLength(255);
        return Arbitraries.frequencyOf(weight(6, hex), weight(6, readable), weight(1, longest));
    }

    /**
     * Free text the model accepts: printable ASCII (spaces, quotes, {@code #}, backslash included),
     * Latin-1 letters and some CJK, never a control, format or separator character.
     */
    static Arbitrary<String> text(int min, int max) {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00c0', '\u00ff')
                .withCharRange('\u4e00', '\u4e3f').ofMinLength(min).ofMaxLength(max);
    }

    /** Names and descriptions: mostly empty or short, sometimes exactly {@code max} characters. */
    static Arbitrary<String> freeText(int max) {
        Arbitrary<String> words = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
                .list().ofMinSize(1).ofMaxSize(4).map(w -> String.join(" ", w));
        return Arbitraries.frequencyOf(weight(4, Arbitraries.just("")), weight(6, words), weight(3, text(0, 40)),
                weight(1, text(max, max)));
    }

    static Arbitrary<String> names() {
        return freeText(MAX_TEXT);
    }

    static Arbitrary<String> statusDescriptions() {
        return Arbitraries.frequencyOf(weight(8, Arbitraries.just("")), weight(3, freeText(MAX_STATUS_DESCRIPTION)));
    }

    static Arbitrary<String> providers() {
        Arbitrary<String> token = Combinators.combine(
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1),
                Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("_.-").ofMaxLength(63))
                .as(String::concat);
        return Arbitraries.frequencyOf(weight(5, Arbitraries.just("")),
                weight(3, Arbitraries.of("haproxy", "haproxy-ns", "in-memory", "vendor_x.v2")), weight(2, token));
    }

    static Arbitrary<Status> statuses() {
        return Arbitraries.frequencyOf(weight(4, Arbitraries.of(Status.ACTIVE, Status.PENDING_CREATE)),
                weight(2, Arbitraries.of(Status.class)));
    }

    static Arbitrary<Boolean> adminStates() {
        return Arbitraries.frequencyOf(weight(9, Arbitraries.just(true)), weight(1, Arbitraries.just(false)));
    }

    static Arbitrary<Integer> ports() {
        return Arbitraries.frequencyOf(weight(3, Arbitraries.of(80, 443, 8080, 8443, 3306, 5432, 6379, 9000)),
                weight(2, Arbitraries.integers().between(1, 65_535)));
    }

    static Arbitrary<Integer> weights() {
        return Arbitraries.frequencyOf(weight(6, Arbitraries.just(1)), weight(3, Arbitraries.integers().between(0, 256)));
    }

    static Arbitrary<Integer> connectionLimits() {
        return Arbitraries.frequencyOf(weight(5, Arbitraries.just(Vip.UNLIMITED)),
                weight(3, Arbitraries.integers().between(0, 100_000)),
                weight(1, Arbitraries.of(0, 1, Integer.MAX_VALUE)));
    }

    // ---------------------------------------------------------------- addresses

    /** {@code 0} means either family (IPv4 more often). */
    static Arbitrary<Integer> versions(int version) {
        if (version == 4 || version == 6) {
            return Arbitraries.just(version);
        }
        return Arbitraries.frequencyOf(weight(7, Arbitraries.just(4)), weight(3, Arbitraries.just(6)));
    }

    /** Small non-negative numbers that drive a choice; they shrink to 0. */
    private static Arbitrary<Integer> seeds() {
        return Arbitraries.integers().between(0, 10_000);
    }

    /** Unicast host addresses in private IPv4 ranges or in 2001:db8::/32 and fd00::/8. */
    static Arbitrary<InetAddress> hostAddresses(int version) {
        return Combinators.combine(versions(version), seeds(), Arbitraries.longs(), Arbitraries.longs(),
                Arbitraries.integers().between(1, 254)).as((v, block, hi, lo, last) -> v == 4
                        ? ipv4Host(block, hi.intValue(), last) : ipv6Host(block, hi, lo, last));
    }

    private static InetAddress ipv4Host(int blockSeed, int bits, int last) {
        int block = blockSeed % V4_BLOCKS.length;
        int keep = mask4(V4_BLOCK_PREFIXES[block]);
        int address = (V4_BLOCKS[block] & keep) | (bits & ~keep);
        return ipv4((address & 0xFFFF_FF00) | last);
    }

    private static InetAddress ipv6Host(int blockSeed, long hi, long lo, int last) {
        int block = blockSeed % V6_BLOCKS.length;
        BigInteger keep = mask6(V6_BLOCK_PREFIXES[block]);
        BigInteger address = V6_BLOCKS[block].and(keep).or(unsigned128(hi, lo).andNot(keep));
        return ipv6(address.shiftRight(16).shiftLeft(16).or(BigInteger.valueOf(last)));
    }

    /** Subnets in private IPv4 ranges (prefix up to /30) or IPv6 ranges (prefix up to /126). */
    static Arbitrary<Subnet> subnets(int version) {
        return Combinators.combine(uuids(), names(), cidrs(version),
                Arbitraries.frequencyOf(weight(6, Arbitraries.just(true)), weight(1, Arbitraries.just(false))))
                .as((id, name, cidr, hasGateway) -> new Subnet(id, name, cidr,
                        hasGateway ? Optional.of(offset(cidr, BigInteger.ONE)) : Optional.empty()));
    }

    /** Networks of the given family; mostly /24 and /64. */
    private static Arbitrary<Cidr> cidrs(int version) {
        Arbitrary<Boolean> usual = Arbitraries.frequencyOf(weight(6, Arbitraries.just(true)), weight(4, Arbitraries.just(false)));
        return Combinators.combine(versions(version), seeds(), usual, seeds(), Arbitraries.longs(), Arbitraries.longs())
                .as((v, blockSeed, isUsual, prefixSeed, hi, lo) -> {
                    if (v == 4) {
                        int block = blockSeed % V4_BLOCKS.length;
                        int blockPrefix = V4_BLOCK_PREFIXES[block];
                        int prefix = isUsual ? 24 : blockPrefix + prefixSeed % (30 - blockPrefix + 1);
                        int keep = mask4(blockPrefix);
                        int network = ((V4_BLOCKS[block] & keep) | (hi.intValue() & ~keep)) & mask4(prefix);
                        return new Cidr(ipv4(network), prefix);
                    }
                    int block = blockSeed % V6_BLOCKS.length;
                    int blockPrefix = V6_BLOCK_PREFIXES[block];
                    int prefix = isUsual ? 64 : blockPrefix + prefixSeed % (126 - blockPrefix + 1);
                    BigInteger keep = mask6(blockPrefix);
                    BigInteger network = V6_BLOCKS[block].and(keep).or(unsigned128(hi, lo).andNot(keep)).and(mask6(prefix));
                    return new Cidr(ipv6(network), prefix);
                });
    }

    /**
     * Seeds for a VIP address: mostly small (the first hosts of a subnet), sometimes anywhere.
     * {@link #vipAddress(Subnet, BigInteger)} turns a seed into an address.
     */
    static Arbitrary<BigInteger> vipAddressSeeds() {
        return Arbitraries.frequencyOf(weight(4, Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(253))),
                weight(1, Arbitraries.bigIntegers().between(BigInteger.ZERO, ALL_ONES_128)));
    }

    /** The host offsets a VIP may use on a subnet, as {@code [low, high, gateway offset or -1]}. */
    private static BigInteger[] vipRange(Subnet subnet) {
        Cidr cidr = subnet.cidr();
        boolean v4 = cidr.ipVersion() == 4;
        BigInteger size = BigInteger.ONE.shiftLeft((v4 ? 32 : 128) - cidr.prefixLength());
        boolean skipNetwork = v4 ? cidr.prefixLength() <= 30 : cidr.prefixLength() <= 126;
        boolean skipBroadcast = v4 && cidr.prefixLength() <= 30;
        BigInteger low = skipNetwork ? BigInteger.ONE : BigInteger.ZERO;
        BigInteger high = size.subtract(skipBroadcast ? BigInteger.TWO : BigInteger.ONE);
        BigInteger gw = BigInteger.ONE.negate();
        if (subnet.gateway().isPresent() && cidr.contains(subnet.gateway().get())) {
            BigInteger g = toBig(subnet.gateway().get()).subtract(toBig(cidr.network()));
            if (g.compareTo(low) >= 0 && g.compareTo(high) <= 0) {
                gw = g;
            }
        }
        return new BigInteger[] {low, high, gw};
    }

    /**
     * Checks that a VIP can be placed on the subnet.
     *
     * @throws IllegalArgumentException when every address is excluded
     */
    static void checkVipRoom(Subnet subnet) {
        if (vipRoom(subnet).signum() <= 0) {
            throw new IllegalArgumentException("subnet " + subnet.cidr() + " has no address a VIP may use");
        }
    }

    /** How many addresses of the subnet a VIP (or an instance) may have. */
    static BigInteger vipRoom(Subnet subnet) {
        BigInteger[] r = vipRange(subnet);
        return r[1].subtract(r[0]).add(BigInteger.ONE).subtract(r[2].signum() >= 0 ? BigInteger.ONE : BigInteger.ZERO);
    }

    /**
     * Instance addresses: {@code count} addresses a VIP may have on the subnet, each the next one
     * after the VIP's address (wrapping around), skipping the gateway, the VIP's address and
     * {@code avoid}. The caller makes sure that the subnet has room.
     */
    static List<InetAddress> instanceAddresses(Subnet subnet, InetAddress vip, Collection<InetAddress> avoid, int count) {
        BigInteger[] r = vipRange(subnet);
        Set<InetAddress> skip = new HashSet<>(avoid);
        skip.add(vip);
        List<InetAddress> out = new ArrayList<>();
        BigInteger offset = toBig(vip).subtract(toBig(subnet.cidr().network()));
        BigInteger tries = BigInteger.valueOf(count + skip.size() + 2L);
        while (out.size() < count && tries.signum() > 0) {
            tries = tries.subtract(BigInteger.ONE);
            offset = offset.add(BigInteger.ONE);
            if (offset.compareTo(r[1]) > 0) {
                offset = r[0];
            }
            InetAddress candidate = offset(subnet.cidr(), offset);
            if (!offset.equals(r[2]) && skip.add(candidate)) {
                out.add(candidate);
            }
        }
        if (out.size() < count) {
            throw new IllegalStateException("subnet " + subnet.cidr() + " has no room for " + count + " instance addresses");
        }
        return List.copyOf(out);
    }

    /**
     * An address a VIP may have on this subnet, chosen by {@code seed}: inside it, not its gateway,
     * not the IPv4 network or broadcast address, not the IPv6 subnet-router anycast address.
     */
    static InetAddress vipAddress(Subnet subnet, BigInteger seed) {
        BigInteger[] r = vipRange(subnet);
        boolean hasGateway = r[2].signum() >= 0;
        BigInteger count = r[1].subtract(r[0]).add(BigInteger.ONE).subtract(hasGateway ? BigInteger.ONE : BigInteger.ZERO);
        BigInteger offset = r[0].add(seed.mod(count));
        if (hasGateway && offset.compareTo(r[2]) >= 0) {
            offset = offset.add(BigInteger.ONE);
        }
        return offset(subnet.cidr(), offset);
    }

    static InetAddress offset(Cidr cidr, BigInteger offset) {
        BigInteger address = toBig(cidr.network()).add(offset);
        return cidr.ipVersion() == 4 ? ipv4(address.intValue()) : ipv6(address);
    }

    static BigInteger toBig(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }

    static InetAddress ipv4(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return byAddress(b);
    }

    static InetAddress ipv6(BigInteger address) {
        byte[] raw = address.toByteArray();
        byte[] b = new byte[16];
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, b, 16 - copy, copy);
        return byAddress(b);
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int mask4(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static BigInteger mask6(int prefix) {
        return ALL_ONES_128.xor(BigInteger.ONE.shiftLeft(128 - prefix).subtract(BigInteger.ONE));
    }

    private static BigInteger unsigned128(long hi, long lo) {
        return new BigInteger(1, new byte[] {
            (byte) (hi >>> 56), (byte) (hi >>> 48), (byte) (hi >>> 40), (byte) (hi >>> 32),
            (byte) (hi >>> 24), (byte) (hi >>> 16), (byte) (hi >>> 8), (byte) hi,
            (byte) (lo >>> 56), (byte) (lo >>> 48), (byte) (lo >>> 40), (byte) (lo >>> 32),
            (byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo});
    }

    // ---------------------------------------------------------------- health checks and persistence

    /** RFC 6265 tokens that do not start with {@code $} (reserved for cookie attributes). */
    static Arbitrary<String> cookieNames() {
        Arbitrary<String> common = Arbitraries.of("JSESSIONID", "PHPSESSID", "SERVERID", "sid", "__Host-session",
                "ASP.NET_SessionId", "connect.sid", "laravel_session");
        Arbitrary<String> first = Arbitraries.strings().withChars(COOKIE_CHARS.replace("$", "")).ofLength(1);
        Arbitrary<String> tokens = Combinators.combine(first,
                Arbitraries.strings().withChars(COOKIE_CHARS).ofMaxLength(MAX_COOKIE_NAME - 1)).as(String::concat);
        Arbitrary<String> longest = Combinators.combine(first,
                Arbitraries.strings().withChars(COOKIE_CHARS).ofLength(MAX_COOKIE_NAME - 1)).as(String::concat);
        return Arbitraries.frequencyOf(weight(4, common), weight(4, tokens), weight(1, longest));
    }

    static Arbitrary<String> urlPaths() {
        Arbitrary<String> common = Arbitraries.of("/", "/health", "/healthz", "/status?full=1", "/ping", "/api/v1/health",
                "/index.html");
        Arbitrary<String> escape = Combinators.combine(Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(2),
                Arbitraries.just("%")).as((hex, pct) -> pct + hex);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                weight(8, Arbitraries.strings().withChars(PCHARS).ofMinLength(1).ofMaxLength(3)), weight(1, escape));
        Arbitrary<String> segment = piece.list().ofMaxSize(4).map(p -> String.join("", p));
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(5).map(s -> "/" + String.join("/", s));
        Arbitrary<String> query = Arbitraries.frequencyOf(weight(3, Arbitraries.just("")),
                weight(1, piece.list().ofMinSize(1).ofMaxSize(6).map(p -> "?" + String.join("", p) + "/?")));
        Arbitrary<String> built = Combinators.combine(path, query).as(String::concat);
        Arbitrary<String> longest = Arbitraries.strings().withChars(PCHARS + "/?").ofLength(MAX_URL_PATH - 1).map(s -> "/" + s);
        return Arbitraries.frequencyOf(weight(4, common), weight(6, built), weight(1, longest));
    }

    static Arbitrary<ExpectedCodes> expectedCodes() {
        Arbitrary<Integer> code = Arbitraries.frequencyOf(weight(5, Arbitraries.of(200, 201, 202, 204, 301, 302, 401, 404)),
                weight(2, Arbitraries.integers().between(100, 599)));
        Arbitrary<String> single = code.map(String::valueOf);
        Arbitrary<String> list = Combinators.combine(code.list().ofMinSize(2).ofMaxSize(6).uniqueElements(),
                Arbitraries.of(",", ", ")).as(Gen::join);
        Arbitrary<String> range = Combinators.combine(Arbitraries.integers().between(100, 599),
                Arbitraries.integers().between(0, 499)).as((low, width) -> low + "-" + Math.min(599, low + width));
        return Arbitraries.frequencyOf(weight(5, single), weight(3, list), weight(3, range)).map(ExpectedCodes::new);
    }

    private static String join(List<Integer> codes, String separator) {
        List<String> parts = new ArrayList<>();
        codes.forEach(c -> parts.add(String.valueOf(c)));
        return String.join(separator, parts);
    }

    static Arbitrary<HttpCheck> httpChecks() {
        Arbitrary<HttpMethod> methods = Arbitraries.frequencyOf(weight(6, Arbitraries.just(HttpMethod.GET)),
                weight(2, Arbitraries.just(HttpMethod.HEAD)), weight(2, Arbitraries.of(HttpMethod.class)));
        return Combinators.combine(methods, urlPaths(), expectedCodes()).as(HttpCheck::new);
    }

    /** Persistence of one of the given kinds (not empty). */
    static Arbitrary<SessionPersistence> persistences(Set<PersistenceType> types) {
        return Combinators.combine(Arbitraries.of(types), cookieNames()).as((type, name) -> switch (type) {
            case SOURCE_IP -> SessionPersistence.sourceIp();
            case HTTP_COOKIE -> SessionPersistence.httpCookie();
            case APP_COOKIE -> SessionPersistence.appCookie(name);
        });
    }

    /** The kinds among {@code types} that a VIP of {@code protocol} may use. */
    static Set<PersistenceType> fitting(Set<PersistenceType> types, Protocol protocol) {
        Set<PersistenceType> out = EnumSet.noneOf(PersistenceType.class);
        for (PersistenceType t : types) {
            if (!t.usesCookies() || protocol.isHttp()) {
                out.add(t);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the objects

    /** Everything of a pool but its tenant, protocol and subnet. */
    record PoolSeed(UUID id, String name, String description, LbMethod method, String provider, boolean up,
                    Status status, String why) {
        Pool toPool(String tenant, Protocol protocol, UUID subnetId) {
            return new Pool(id, tenant, name, description, subnetId, protocol, method, provider, up, status, why);
        }
    }

    static Arbitrary<PoolSeed> poolSeeds() {
        return Combinators.combine(uuids(), names(), names(), Arbitraries.of(LbMethod.class), providers(), adminStates(),
                statuses(), statusDescriptions()).as(PoolSeed::new);
    }

    static Arbitrary<Pool> pools(String tenant, Protocol protocol, UUID subnetId) {
        return poolSeeds().map(s -> s.toPool(tenant, protocol, subnetId));
    }

    /**
     * Everything of a member but its pool and tenant, with an address of each family: the member
     * takes its load balancer's family, or the other one when {@code otherFamily} is set and the
     * family is not forced.
     */
    record MemberSeed(UUID id, InetAddress v4, InetAddress v6, boolean otherFamily, int port, int weight, boolean up,
                      Status status, String why) {
        Member toMember(UUID poolId, String tenant, int family, boolean forced) {
            int chosen = !forced && otherFamily ? 10 - family : family;
            return new Member(id, tenant, poolId, chosen == 4 ? v4 : v6, port, weight, up, status, why);
        }

        String endpoint4() {
            return IpAddresses.toText(v4) + " " + port;
        }

        String endpoint6() {
            return IpAddresses.toText(v6) + " " + port;
        }
    }

    private record Attributes(int port, int weight, boolean up, Status status, String why) {
    }

    static Arbitrary<MemberSeed> memberSeeds() {
        Arbitrary<Attributes> attributes = Combinators.combine(ports(), weights(), adminStates(), statuses(),
                statusDescriptions()).as(Attributes::new);
        Arbitrary<Boolean> other = Arbitraries.frequencyOf(weight(4, Arbitraries.just(false)), weight(1, Arbitraries.just(true)));
        return Combinators.combine(uuids(), hostAddresses(4), hostAddresses(6), other, attributes)
                .as((id, v4, v6, o, a) -> new MemberSeed(id, v4, v6, o, a.port(), a.weight(), a.up(), a.status(), a.why()));
    }

    /** Lists of member seeds with distinct ids and distinct (address, protocol_port) in either family. */
    static ListArbitrary<MemberSeed> memberSeedLists(int min, int max) {
        return memberSeeds().list().ofMinSize(min).ofMaxSize(max).uniqueElements(MemberSeed::id)
                .uniqueElements(MemberSeed::endpoint4).uniqueElements(MemberSeed::endpoint6);
    }

    static Arbitrary<Member> members(UUID poolId, String tenant, int family) {
        return memberSeeds().map(s -> s.toMember(poolId, tenant, family, false));
    }

    static String endpoint(Member m) {
        return IpAddresses.toText(m.address()) + " " + m.protocolPort();
    }

    record Timing(int delay, int timeout) {
    }

    /** Delay and timeout, {@code 1 <= timeout <= delay <= 86400}: mostly seconds, now and then the limits. */
    private static Arbitrary<Timing> timings() {
        Arbitrary<Integer> delays = Arbitraries.frequencyOf(weight(9, Arbitraries.integers().between(1, 60)),
                weight(1, Arbitraries.integers().between(1, MAX_DELAY)));
        Arbitrary<Integer> kind = Arbitraries.frequencyOf(weight(3, Arbitraries.just(0)), weight(2, Arbitraries.just(1)),
                weight(1, Arbitraries.just(2)));
        return Combinators.combine(delays, Arbitraries.integers().between(0, MAX_DELAY), kind).as((d, r, k) -> switch (k) {
            case 0 -> new Timing(d, Math.max(1, Math.min(d, r % 11)));
            case 1 -> new Timing(d, 1 + r % d);
            default -> new Timing(d, d);
        });
    }

    /** Everything of a monitor but its tenant; the HTTP check is kept only for HTTP and HTTPS types. */
    record MonitorSeed(UUID id, MonitorType type, Timing timing, int retries, HttpCheck check, boolean up) {
        HealthMonitor toMonitor(String tenant) {
            return new HealthMonitor(id, tenant, type, timing.delay(), timing.timeout(), retries,
                    type.isHttp() ? Optional.of(check) : Optional.empty(), up);
        }
    }

    static Arbitrary<MonitorSeed> monitorSeeds(Set<MonitorType> types) {
        Arbitrary<Integer> retries = Arbitraries.frequencyOf(weight(3, Arbitraries.just(3)),
                weight(2, Arbitraries.integers().between(1, 10)));
        return Combinators.combine(uuids(), Arbitraries.of(types), timings(), retries, httpChecks(), adminStates())
                .as(MonitorSeed::new);
    }

    static ListArbitrary<MonitorSeed> monitorSeedLists(Set<MonitorType> types, int min, int max) {
        return monitorSeeds(types).list().ofMinSize(min).ofMaxSize(max).uniqueElements(MonitorSeed::id);
    }

    static Arbitrary<HealthMonitor> monitors(String tenant, Set<MonitorType> types) {
        return monitorSeeds(types).map(s -> s.toMonitor(tenant));
    }

    /** Everything of a VIP but its pool, its subnet, and the fitting of its persistence to the protocol. */
    record VipSeed(UUID id, String name, String description, UUID portId, int port, int connectionLimit, boolean up,
                   Status status, BigInteger addressSeed, Optional<SessionPersistence> persistence, String why) {

        /**
         * Builds the VIP. Persistence that does not fit the pool's protocol (cookies without HTTP)
         * becomes SOURCE_IP.
         */
        Vip toVip(Pool pool, Subnet subnet) {
            Optional<SessionPersistence> sp = persistence.map(p -> p.type().usesCookies() && !pool.protocol().isHttp()
                    ? SessionPersistence.sourceIp() : p);
            return new Vip(id, pool.tenantId(), name, description, subnet.id(), vipAddress(subnet, addressSeed), portId,
                    port, pool.protocol(), pool.id(), sp, connectionLimit, up, status, why);
        }
    }

    private record VipBasics(UUID id, String name, String description, UUID portId, int port, int connectionLimit,
                             boolean up, Status status) {
    }

    /**
     * VIP seeds.
     *
     * @param persistence the persistence kinds to draw from; empty for none
     * @param persistenceRequired whether every VIP gets persistence (otherwise about half do)
     */
    static Arbitrary<VipSeed> vipSeeds(Set<PersistenceType> persistence, boolean persistenceRequired) {
        Arbitrary<Optional<SessionPersistence>> sp;
        if (persistence.isEmpty()) {
            sp = Arbitraries.just(Optional.empty());
        } else if (persistenceRequired) {
            sp = persistences(persistence).map(Optional::of);
        } else {
            sp = Arbitraries.frequencyOf(weight(1, Arbitraries.just(Optional.<SessionPersistence>empty())),
                    weight(1, persistences(persistence).map(Optional::of)));
        }
        Arbitrary<VipBasics> basics = Combinators.combine(uuids(), names(), names(), uuids(), ports(), connectionLimits(),
                adminStates(), statuses()).as(VipBasics::new);
        return Combinators.combine(basics, vipAddressSeeds(), sp, statusDescriptions())
                .as((b, address, persist, why) -> new VipSeed(b.id(), b.name(), b.description(), b.portId(), b.port(),
                        b.connectionLimit(), b.up(), b.status(), address, persist, why));
    }

    /** VIPs in front of {@code pool} on {@code subnet}, with persistence (about half the time) that fits. */
    static Arbitrary<Vip> vips(Pool pool, Subnet subnet) {
        checkVipRoom(subnet);
        return vipSeeds(fitting(EnumSet.allOf(PersistenceType.class), pool.protocol()), false)
                .map(s -> s.toVip(pool, subnet));
    }
}

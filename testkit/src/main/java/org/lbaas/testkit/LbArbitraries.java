package org.lbaas.testkit;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;

/**
 * The entry point to lbaas's jqwik arbitraries: valid load balancers and each of their parts,
 * invalid load balancers labelled with the rule they break, and hostile strings for injection
 * tests.
 *
 * <p>Everything not named "invalid" or "hostile" generates values the model accepts, with
 * realistic distributions (private IPv4 ranges and documentation/ULA IPv6 ranges, /24 and /64
 * subnets, common ports, weight 1, {@code GET /}) that reach each rule's boundaries now and then
 * (port 65535, weight 0 and 256, delay 86400, 255-character names, 64-character cookie names,
 * 1024-character URL paths). Runs are reproducible from jqwik's seed.
 *
 * <pre>{@code
 * @Property
 * void rendersEveryValidLoadBalancer(@ForAll("lbs") LoadBalancer lb) { ... }
 *
 * @Provide
 * Arbitrary<LoadBalancer> lbs() {
 *     return LbArbitraries.loadBalancers().withMembers(1, 50).withProtocols(Protocol.HTTP).ipv6Only();
 * }
 * }</pre>
 *
 * Or switch on {@link LbaasDomain} and take {@code @ForAll LoadBalancer lb} directly.
 */
public final class LbArbitraries {

    private LbArbitraries() {
    }

    /**
     * Returns valid load balancers, configurable with fluent knobs.
     *
     * @return the default arbitrary: 0 to 5 members, 0 to 2 monitors, any protocol, IPv4 or IPv6,
     *     usually a VIP
     */
    public static LoadBalancerArbitrary loadBalancers() {
        return new LoadBalancerArbitrary();
    }

    /**
     * Returns valid pools of any tenant and protocol.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Pool> pools() {
        return Combinators.combine(Gen.tenantIds(), Arbitraries.of(Protocol.class), Gen.uuids(), Gen.poolSeeds())
                .as((tenant, protocol, subnetId, seed) -> seed.toPool(tenant, protocol, subnetId));
    }

    /**
     * Returns valid members of one pool, with addresses anywhere (mostly IPv4, some IPv6).
     * Two generated members may share {@code (address, protocol_port)}; use a list with
     * {@code uniqueElements} or {@link #loadBalancers()} when that matters.
     *
     * @param poolId the pool they belong to
     * @param tenantId the pool's tenant, a valid tenant id
     * @return the arbitrary
     */
    public static Arbitrary<Member> members(UUID poolId, String tenantId) {
        Objects.requireNonNull(poolId, "poolId");
        Objects.requireNonNull(tenantId, "tenantId");
        return Gen.members(poolId, tenantId, 4);
    }

    /**
     * Returns valid health monitors of any type and tenant; HTTP and HTTPS ones carry valid HTTP
     * fields.
     *
     * @return the arbitrary
     */
    public static Arbitrary<HealthMonitor> healthMonitors() {
        return Combinators.combine(Gen.tenantIds(), Gen.monitorSeeds(EnumSet.allOf(MonitorType.class)))
                .as((tenant, seed) -> seed.toMonitor(tenant));
    }

    /**
     * Returns valid health monitors of one tenant.
     *
     * @param tenantId the tenant, a valid tenant id
     * @param types the types to draw from; none means every type
     * @return the arbitrary
     */
    public static Arbitrary<HealthMonitor> healthMonitors(String tenantId, MonitorType... types) {
        Objects.requireNonNull(tenantId, "tenantId");
        EnumSet<MonitorType> set = types.length == 0 ? EnumSet.allOf(MonitorType.class) : EnumSet.copyOf(Arrays.asList(types));
        return Gen.monitors(tenantId, set);
    }

    /**
     * Returns valid VIPs in front of {@code pool} on {@code subnet}: the pool's id, tenant and
     * protocol; an address inside the subnet that is not its gateway, network, broadcast or anycast
     * address; persistence (about half the time) that fits the protocol.
     *
     * @param pool the pool behind the VIP
     * @param subnet the VIP's subnet
     * @return the arbitrary
     * @throws IllegalArgumentException when the subnet has no address a VIP may use
     */
    public static Arbitrary<Vip> vips(Pool pool, Subnet subnet) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(subnet, "subnet");
        return Gen.vips(pool, subnet);
    }

    /**
     * Returns valid VIPs, each with a pool and subnet of its own (use {@link #loadBalancers()} when
     * you need them together).
     *
     * @return the arbitrary
     */
    public static Arbitrary<Vip> vips() {
        return Combinators.combine(subnets(), pools(), Gen.vipSeeds(EnumSet.allOf(PersistenceType.class), false))
                .as((subnet, pool, seed) -> seed.toVip(pool, subnet));
    }

    /**
     * Returns valid session persistence of every kind (APP_COOKIE with a valid cookie name).
     *
     * @return the arbitrary
     */
    public static Arbitrary<SessionPersistence> sessionPersistences() {
        return Gen.persistences(EnumSet.allOf(PersistenceType.class));
    }

    /**
     * Returns valid session persistence that a VIP of {@code protocol} may use (only SOURCE_IP
     * unless it is HTTP).
     *
     * @param protocol the VIP's protocol
     * @return the arbitrary
     */
    public static Arbitrary<SessionPersistence> sessionPersistences(Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        return Gen.persistences(Gen.fitting(EnumSet.allOf(PersistenceType.class), protocol));
    }

    /**
     * Returns valid subnets: IPv4 in private ranges with prefix /8 to /30 (mostly /24), IPv6 in
     * 2001:db8::/32 or fd00::/8 with prefix up to /126 (mostly /64); usually with the first host
     * address as gateway.
     *
     * @return the arbitrary
     */
    public static Arbitrary<Subnet> subnets() {
        return Gen.subnets(0);
    }

    /**
     * Returns unicast IPv4 and IPv6 host addresses that a member may have.
     *
     * @return the arbitrary
     */
    public static Arbitrary<InetAddress> ipAddresses() {
        return Gen.hostAddresses(0);
    }

    /**
     * Returns valid tenant ids: Keystone-style 32-digit hex ids and readable names, sometimes 255
     * characters long.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> tenantIds() {
        return Gen.tenantIds();
    }

    /**
     * Returns valid cookie names: common ones and RFC 6265 tokens of 1 to 64 characters that do not
     * start with {@code $}.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> cookieNames() {
        return Gen.cookieNames();
    }

    /**
     * Returns valid health-check URL paths: common ones and RFC 3986 paths with {@code %XX}
     * escapes and queries, sometimes exactly 1024 characters long.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> urlPaths() {
        return Gen.urlPaths();
    }

    /**
     * Returns valid expected codes: single codes, lists and upward ranges of codes 100 to 599.
     *
     * @return the arbitrary
     */
    public static Arbitrary<ExpectedCodes> expectedCodes() {
        return Gen.expectedCodes();
    }

    /**
     * Returns strings made to break out of a configuration line or a shell word: newline, carriage
     * return, NUL, {@code #}, spaces and tabs, quotes, backslash, {@code $}, {@code %}, backquote,
     * Unicode line and paragraph separators, NEL, the right-to-left override, zero-width and other
     * format characters, escape sequences, HAProxy directives and shell payloads, very long strings
     * (up to 70,000 characters), and mixes of all of these with ordinary text.
     *
     * @return the arbitrary
     */
    public static Arbitrary<String> hostileStrings() {
        return Hostile.strings();
    }

    /**
     * Returns invalid load balancers, one kind per {@link BrokenRule}, each labelled with the rule it
     * breaks and the path of the violation.
     *
     * @return the arbitrary
     */
    public static Arbitrary<InvalidCase> invalidLoadBalancers() {
        return InvalidCases.of(EnumSet.allOf(BrokenRule.class));
    }

    /**
     * Returns invalid load balancers that break one of the given rules.
     *
     * @param rules at least one rule
     * @return the arbitrary
     */
    public static Arbitrary<InvalidCase> invalidLoadBalancers(BrokenRule... rules) {
        Objects.requireNonNull(rules, "rules");
        if (rules.length == 0) {
            throw new IllegalArgumentException("give at least one rule");
        }
        return InvalidCases.of(EnumSet.copyOf(Arrays.asList(rules)));
    }
}

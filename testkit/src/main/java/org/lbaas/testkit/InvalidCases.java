package org.lbaas.testkit;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.lbaas.model.Cidr;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LbMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;

/**
 * Generates one kind of invalid load balancer per {@link BrokenRule}: a valid load balancer from
 * {@link LoadBalancerArbitrary} with exactly one value broken.
 */
final class InvalidCases {

    private InvalidCases() {
    }

    static Arbitrary<InvalidCase> of(Set<BrokenRule> rules) {
        List<Arbitrary<InvalidCase>> each = new ArrayList<>();
        for (BrokenRule rule : EnumSet.copyOf(rules)) {
            each.add(of(rule));
        }
        return Arbitraries.oneOf(each);
    }

    static Arbitrary<InvalidCase> of(BrokenRule rule) {
        return switch (rule) {
            case REQUIRED -> full().flatMap(lb -> pick(requiredFields(lb))
                    .map(f -> broken(rule, f.path(), null, f.parts())));
            case TENANT_ID_FORMAT -> full().flatMap(lb -> pick(tenantFields(lb))
                    .flatMap(f -> badTenants().map(t -> broken(rule, f.path(), t, f.set().apply(t)))));
            case TEXT_TOO_LONG -> full().flatMap(lb -> pick(textFields(lb))
                    .flatMap(f -> Gen.text(f.max() + 1, f.max() + 40).map(t -> broken(rule, f.path(), t, f.set().apply(t)))));
            case TEXT_CONTROL_CHARACTERS -> full().flatMap(lb -> pick(textFields(lb))
                    .flatMap(f -> textWithControls().map(t -> broken(rule, f.path(), t, f.set().apply(t)))));
            case PROVIDER_FORMAT -> full().flatMap(lb -> badProviders().map(bad -> broken(rule, "pool.provider", bad,
                    Parts.of(lb).withPool(() -> lb.pool().toBuilder().provider(bad).build()))));
            case ENUM_UNKNOWN_VALUE -> full().flatMap(InvalidCases::unknownEnum);
            case PORT_RANGE -> full().flatMap(lb -> pick(portFields(lb))
                    .flatMap(f -> badInts(1, 65_535).map(n -> broken(rule, f.path(), n, f.set().apply(n)))));
            case WEIGHT_RANGE -> full().flatMap(lb -> index(lb.members()).flatMap(i -> badInts(0, 256)
                    .map(w -> broken(rule, "members[" + i + "].weight", w, Parts.of(lb)
                            .withMember(i, () -> lb.members().get(i).toBuilder().weight(w).build())))));
            case ADDRESS_NOT_LITERAL -> full().flatMap(lb -> pick(addressTextFields(lb))
                    .flatMap(f -> notLiterals().map(t -> broken(rule, f.path(), t, f.set().apply(t)))));
            case ADDRESS_NOT_UNICAST -> full().flatMap(lb -> pick(addressFields(lb))
                    .flatMap(f -> notUnicast().map(a -> broken(rule, f.path(), a, f.set().apply(a)))));
            case CONNECTION_LIMIT_RANGE -> full().flatMap(lb -> Arbitraries.oneOf(Arbitraries.just(-2),
                    Arbitraries.integers().between(Integer.MIN_VALUE, -2)).map(n -> broken(rule, "vip.connection_limit", n,
                    Parts.of(lb).withVip(() -> vip(lb).toBuilder().connectionLimit(n).build()))));
            case MONITOR_DELAY_RANGE -> monitored(EnumSet.allOf(MonitorType.class)).flatMap(lb -> index(lb.healthMonitors())
                    .flatMap(i -> badInts(1, Gen.MAX_DELAY).map(d -> monitorCase(rule, lb, i, "delay", d,
                            m -> m.toBuilder().delay(d).build()))));
            case MONITOR_TIMEOUT_RANGE -> monitored(EnumSet.allOf(MonitorType.class)).flatMap(lb -> index(lb.healthMonitors())
                    .flatMap(i -> badInts(1, Gen.MAX_DELAY).map(t -> monitorCase(rule, lb, i, "timeout", t,
                            m -> m.toBuilder().timeout(t).build()))));
            case TIMEOUT_EXCEEDS_DELAY -> monitored(EnumSet.allOf(MonitorType.class)).flatMap(lb -> index(lb.healthMonitors())
                    .flatMap(i -> Arbitraries.integers().between(1, Gen.MAX_DELAY - 1).flatMap(d -> Arbitraries.integers()
                            .between(d + 1, Gen.MAX_DELAY).map(t -> monitorCase(rule, lb, i, "timeout", t,
                                    m -> m.toBuilder().delay(d).timeout(t).build())))));
            case MAX_RETRIES_RANGE -> monitored(EnumSet.allOf(MonitorType.class)).flatMap(lb -> index(lb.healthMonitors())
                    .flatMap(i -> badInts(1, 10).map(r -> monitorCase(rule, lb, i, "max_retries", r,
                            m -> m.toBuilder().maxRetries(r).build()))));
            case HTTP_FIELDS_MISSING -> monitored(EnumSet.of(MonitorType.HTTP, MonitorType.HTTPS)).flatMap(lb ->
                    index(lb.healthMonitors()).map(i -> monitorCase(rule, lb, i, "http_method", null,
                            m -> new HealthMonitor(m.id(), m.tenantId(), m.type(), m.delay(), m.timeout(), m.maxRetries(),
                                    Optional.empty(), m.adminStateUp()))));
            case HTTP_FIELDS_NOT_ALLOWED -> monitored(EnumSet.of(MonitorType.PING, MonitorType.TCP)).flatMap(lb ->
                    index(lb.healthMonitors()).flatMap(i -> Gen.httpChecks().map(c -> monitorCase(rule, lb, i,
                            "http_method", c.method(), m -> new HealthMonitor(m.id(), m.tenantId(), m.type(), m.delay(),
                                    m.timeout(), m.maxRetries(), Optional.of(c), m.adminStateUp())))));
            case URL_PATH_FORMAT -> httpMonitored().flatMap(lb -> index(lb.healthMonitors()).flatMap(i -> badUrlPaths()
                    .map(p -> monitorCase(rule, lb, i, "url_path", p, m -> withCheck(m, c -> new HttpCheck(c.method(), p,
                            c.expectedCodes()))))));
            case EXPECTED_CODES_FORMAT -> expectedCodesCase(rule, badCodes());
            case EXPECTED_CODES_REVERSED_RANGE -> expectedCodesCase(rule, Arbitraries.integers().between(100, 598)
                    .flatMap(low -> Arbitraries.integers().between(low + 1, 599).map(high -> high + "-" + low)));
            case EXPECTED_CODES_REPEATED -> expectedCodesCase(rule, Arbitraries.integers().between(100, 599)
                    .list().ofMinSize(1).ofMaxSize(4).uniqueElements().flatMap(codes -> Arbitraries.integers()
                            .between(0, codes.size() - 1).map(i -> {
                                List<String> parts = new ArrayList<>();
                                codes.forEach(c -> parts.add(String.valueOf(c)));
                                parts.add(String.valueOf(codes.get(i)));
                                return String.join(",", parts);
                            })));
            case COOKIE_NAME_MISSING -> withVip().map(lb -> persistenceCase(rule, lb, "vip.session_persistence.cookie_name",
                    null, () -> new SessionPersistence(PersistenceType.APP_COOKIE, Optional.empty())));
            case COOKIE_NAME_NOT_ALLOWED -> withVip().flatMap(lb -> Arbitraries.of(PersistenceType.SOURCE_IP,
                    PersistenceType.HTTP_COOKIE).flatMap(type -> Gen.cookieNames().map(name -> persistenceCase(rule, lb,
                    "vip.session_persistence.cookie_name", name, () -> new SessionPersistence(type, Optional.of(name))))));
            case COOKIE_NAME_FORMAT -> withVip().flatMap(lb -> badCookieNames().map(name -> persistenceCase(rule, lb,
                    "vip.session_persistence.cookie_name", name, () -> SessionPersistence.appCookie(name))));
            case COOKIE_PERSISTENCE_NEEDS_HTTP -> LbArbitraries.loadBalancers().withVip()
                    .withProtocols(Protocol.TCP, Protocol.HTTPS)
                    .flatMap(lb -> Gen.persistences(EnumSet.of(PersistenceType.HTTP_COOKIE, PersistenceType.APP_COOKIE))
                            .map(sp -> persistenceCase(rule, lb, "vip.session_persistence.type", sp.type(), () -> sp)));
            case CIDR_FORMAT -> full().flatMap(lb -> badCidrTexts().map(text -> broken(rule, "subnet.cidr", text,
                    Parts.of(lb).withSubnet(() -> replaceCidr(lb.subnet(), Cidr.parse(text))))));
            case CIDR_PREFIX_RANGE -> full().flatMap(lb -> {
                Cidr cidr = lb.subnet().cidr();
                int bits = cidr.ipVersion() == 4 ? 32 : 128;
                return badInts(0, bits).map(p -> broken(rule, "subnet.cidr", p,
                        Parts.of(lb).withSubnet(() -> replaceCidr(lb.subnet(), new Cidr(cidr.network(), p)))));
            });
            case CIDR_HOST_BITS -> full().flatMap(lb -> {
                Cidr cidr = lb.subnet().cidr();
                BigInteger size = BigInteger.ONE.shiftLeft((cidr.ipVersion() == 4 ? 32 : 128) - cidr.prefixLength());
                return Arbitraries.bigIntegers().between(BigInteger.ONE, size.subtract(BigInteger.ONE))
                        .map(o -> Gen.offset(cidr, o)).map(host -> broken(rule, "subnet.cidr",
                                IpAddresses.toText(host) + "/" + cidr.prefixLength(), Parts.of(lb).withSubnet(() ->
                                        replaceCidr(lb.subnet(), new Cidr(host, cidr.prefixLength())))));
            });
            case GATEWAY_OUTSIDE_SUBNET -> full().flatMap(lb -> Gen.hostAddresses(0)
                    .filter(a -> !lb.subnet().cidr().contains(a)).map(gw -> gatewayCase(rule, lb, gw)));
            case GATEWAY_IS_NETWORK_ADDRESS -> full().map(lb -> gatewayCase(rule, lb, lb.subnet().cidr().network()));
            case GATEWAY_IS_BROADCAST_ADDRESS -> full().ipv4Only()
                    .map(lb -> gatewayCase(rule, lb, lb.subnet().cidr().lastAddress()));
            case VIP_POOL_MISMATCH -> withVip().flatMap(lb -> otherUuid(lb.pool().id()).map(id -> broken(rule,
                    "vip.pool_id", id, Parts.of(lb).withVip(() -> vip(lb).toBuilder().poolId(id).build()))));
            case VIP_PROTOCOL_MISMATCH -> withVip().flatMap(lb -> Arbitraries.of(otherProtocols(lb.pool().protocol()))
                    .map(p -> broken(rule, "vip.protocol", p, Parts.of(lb).withVip(() -> withProtocol(vip(lb), p)))));
            case VIP_TENANT_MISMATCH -> withVip().flatMap(lb -> otherTenant(lb.pool().tenantId()).map(t -> broken(rule,
                    "vip.tenant_id", t, Parts.of(lb).withVip(() -> vip(lb).toBuilder().tenantId(t).build()))));
            case VIP_SUBNET_MISMATCH -> withVip().flatMap(lb -> otherUuid(lb.subnet().id()).map(id -> broken(rule,
                    "vip.subnet_id", id, Parts.of(lb).withVip(() -> vip(lb).toBuilder().subnetId(id).build()))));
            case VIP_ADDRESS_OUTSIDE_SUBNET -> withVip().flatMap(lb -> Gen.hostAddresses(0)
                    .filter(a -> !lb.subnet().cidr().contains(a)).map(a -> vipAddressCase(rule, lb, a)));
            case VIP_ADDRESS_IS_GATEWAY -> withVip().map(lb -> {
                Subnet s = lb.subnet();
                if (s.gateway().isPresent()) {
                    return vipAddressCase(rule, lb, s.gateway().get());
                }
                InetAddress address = vip(lb).address();
                return broken(rule, "vip.address", address, Parts.of(lb)
                        .withSubnet(() -> new Subnet(s.id(), s.name(), s.cidr(), Optional.of(address))));
            });
            case VIP_ADDRESS_IS_NETWORK -> withVip().map(lb -> vipAddressCase(rule, lb, lb.subnet().cidr().network()));
            case VIP_ADDRESS_IS_BROADCAST -> withVip().ipv4Only()
                    .map(lb -> vipAddressCase(rule, lb, lb.subnet().cidr().lastAddress()));
            case MEMBER_POOL_MISMATCH -> full().flatMap(lb -> index(lb.members()).flatMap(i -> otherUuid(lb.pool().id())
                    .map(id -> memberCase(rule, lb, i, "pool_id", id, m -> m.toBuilder().poolId(id).build()))));
            case MEMBER_TENANT_MISMATCH -> full().flatMap(lb -> index(lb.members()).flatMap(i ->
                    otherTenant(lb.pool().tenantId()).map(t -> memberCase(rule, lb, i, "tenant_id", t,
                            m -> m.toBuilder().tenantId(t).build()))));
            case MEMBER_ID_DUPLICATE -> full().withMembers(2, 5).flatMap(lb -> laterAndEarlier(lb.members()).map(ji -> {
                Member first = lb.members().get(ji[1]);
                return memberCase(rule, lb, ji[0], "id", first.id(), m -> m.toBuilder().id(first.id()).build());
            }));
            case MEMBER_ENDPOINT_DUPLICATE -> full().withMembers(2, 5).flatMap(lb -> laterAndEarlier(lb.members()).map(ji -> {
                Member first = lb.members().get(ji[1]);
                return memberCase(rule, lb, ji[0], "address", Gen.endpoint(first),
                        m -> m.toBuilder().address(first.address()).protocolPort(first.protocolPort()).build());
            }));
            case MONITOR_ID_DUPLICATE -> monitored(EnumSet.allOf(MonitorType.class)).withMonitors(2, 3)
                    .flatMap(lb -> laterAndEarlier(lb.healthMonitors()).map(ji -> {
                        HealthMonitor first = lb.healthMonitors().get(ji[1]);
                        return monitorCase(rule, lb, ji[0], "id", first.id(), m -> m.toBuilder().id(first.id()).build());
                    }));
            case MONITOR_TENANT_MISMATCH -> monitored(EnumSet.allOf(MonitorType.class)).flatMap(lb ->
                    index(lb.healthMonitors()).flatMap(i -> otherTenant(lb.pool().tenantId()).map(t -> monitorCase(rule, lb,
                            i, "tenant_id", t, m -> m.toBuilder().tenantId(t).build()))));
        };
    }

    // ---------------------------------------------------------------- base load balancers

    private static LoadBalancerArbitrary full() {
        return LbArbitraries.loadBalancers().withVip().withMembers(1, 4).withMonitors(1, 2);
    }

    private static LoadBalancerArbitrary withVip() {
        return LbArbitraries.loadBalancers().withVip().withMembers(0, 3);
    }

    private static LoadBalancerArbitrary monitored(Set<MonitorType> types) {
        return LbArbitraries.loadBalancers().withMembers(0, 2).withMonitors(1, 3)
                .withMonitorTypes(types.toArray(new MonitorType[0]));
    }

    private static LoadBalancerArbitrary httpMonitored() {
        return monitored(EnumSet.of(MonitorType.HTTP, MonitorType.HTTPS));
    }

    private static Vip vip(LoadBalancer lb) {
        return lb.vip().orElseThrow();
    }

    // ---------------------------------------------------------------- building a case

    private static InvalidCase broken(BrokenRule rule, String path, Object value, Parts parts) {
        Object display = value instanceof InetAddress a ? IpAddresses.toText(a) : value;
        String shown = Violation.of(path, display, "-").rejectedValue();
        return new InvalidCase(rule, Set.of(path), path + " = " + shown, parts::assemble);
    }

    private static InvalidCase monitorCase(BrokenRule rule, LoadBalancer lb, int i, String field, Object value,
                                           Function<HealthMonitor, HealthMonitor> change) {
        HealthMonitor m = lb.healthMonitors().get(i);
        return broken(rule, "health_monitors[" + i + "]." + field, value, Parts.of(lb).withMonitor(i, () -> change.apply(m)));
    }

    private static InvalidCase memberCase(BrokenRule rule, LoadBalancer lb, int i, String field, Object value,
                                          Function<Member, Member> change) {
        Member m = lb.members().get(i);
        return broken(rule, "members[" + i + "]." + field, value, Parts.of(lb).withMember(i, () -> change.apply(m)));
    }

    private static InvalidCase vipAddressCase(BrokenRule rule, LoadBalancer lb, InetAddress address) {
        return broken(rule, "vip.address", address, Parts.of(lb).withVip(() -> vip(lb).toBuilder().address(address).build()));
    }

    private static InvalidCase gatewayCase(BrokenRule rule, LoadBalancer lb, InetAddress gateway) {
        Subnet s = lb.subnet();
        return broken(rule, "subnet.gateway_ip", gateway,
                Parts.of(lb).withSubnet(() -> new Subnet(s.id(), s.name(), s.cidr(), Optional.of(gateway))));
    }

    /** The VIP gets persistence built by {@code persistence}; its failures are reported under {@code session_persistence}. */
    private static InvalidCase persistenceCase(BrokenRule rule, LoadBalancer lb, String path, Object value,
                                               Supplier<SessionPersistence> persistence) {
        return broken(rule, path, value, Parts.of(lb).withVip(() -> {
            SessionPersistence sp;
            try {
                sp = persistence.get();
            } catch (ValidationException e) {
                throw e.prefixed("session_persistence");
            }
            return vip(lb).toBuilder().sessionPersistence(sp).build();
        }));
    }

    private static Arbitrary<InvalidCase> expectedCodesCase(BrokenRule rule, Arbitrary<String> specs) {
        return httpMonitored().flatMap(lb -> index(lb.healthMonitors()).flatMap(i -> specs.map(spec -> monitorCase(rule, lb,
                i, "expected_codes", spec, m -> withCheck(m, c -> new HttpCheck(c.method(), c.urlPath(),
                        new ExpectedCodes(spec)))))));
    }

    private static HealthMonitor withCheck(HealthMonitor m, Function<HttpCheck, HttpCheck> change) {
        return m.toBuilder().httpCheck(change.apply(m.httpCheck().orElseThrow())).build();
    }

    private static Subnet replaceCidr(Subnet s, Cidr cidr) {
        return new Subnet(s.id(), s.name(), cidr, s.gateway());
    }

    private static Vip withProtocol(Vip vip, Protocol protocol) {
        Vip.Builder b = vip.toBuilder().protocol(protocol);
        if (vip.sessionPersistence().map(sp -> sp.type().usesCookies()).orElse(false) && !protocol.isHttp()) {
            b.sessionPersistence(SessionPersistence.sourceIp());
        }
        return b.build();
    }

    private static Arbitrary<InvalidCase> unknownEnum(LoadBalancer lb) {
        Arbitrary<InvalidCase> protocol = Arbitraries.of("http", "Http", "tcp", "UDP", "", "HTTP ", "HTTP\n", "TERMINATED_HTTPS")
                .map(raw -> broken(BrokenRule.ENUM_UNKNOWN_VALUE, "pool.protocol", raw, Parts.of(lb).withPool(() -> {
                    Violations v = new Violations();
                    Optional<Protocol> p = v.enumValue(Protocol.class, raw, "protocol");
                    v.throwIfAny();
                    return lb.pool().toBuilder().protocol(p.orElseThrow()).build();
                })));
        Arbitrary<InvalidCase> method = Arbitraries.of("round_robin", "WEIGHTED", "RANDOM", "LEAST_CONNECTION", "")
                .map(raw -> broken(BrokenRule.ENUM_UNKNOWN_VALUE, "pool.lb_method", raw, Parts.of(lb).withPool(() -> {
                    Violations v = new Violations();
                    Optional<LbMethod> m = v.enumValue(LbMethod.class, raw, "lb_method");
                    v.throwIfAny();
                    return lb.pool().toBuilder().lbMethod(m.orElseThrow()).build();
                })));
        return Arbitraries.oneOf(protocol, method);
    }

    // ---------------------------------------------------------------- where a rule can be broken

    /** A place a value can go: its path and the parts with that value put there. */
    private record Field<T>(String path, int max, Function<T, Parts> set) {
    }

    /** A required value left out: its path and the parts without it. */
    private record Missing(String path, Parts parts) {
    }

    private static List<Missing> requiredFields(LoadBalancer lb) {
        Parts parts = Parts.of(lb);
        Pool pool = lb.pool();
        Subnet s = lb.subnet();
        List<Missing> out = new ArrayList<>();
        out.add(new Missing("pool.id", parts.withPool(() -> pool.toBuilder().id(null).build())));
        out.add(new Missing("pool.lb_method", parts.withPool(() -> pool.toBuilder().lbMethod(null).build())));
        out.add(new Missing("pool.name", parts.withPool(() -> pool.toBuilder().name(null).build())));
        out.add(new Missing("pool.subnet_id", parts.withPool(() -> pool.toBuilder().subnetId(null).build())));
        out.add(new Missing("subnet.cidr", parts.withSubnet(() -> new Subnet(s.id(), s.name(), null, s.gateway()))));
        lb.vip().ifPresent(vip -> {
            out.add(new Missing("vip.port_id", parts.withVip(() -> vip.toBuilder().portId(null).build())));
            out.add(new Missing("vip.address", parts.withVip(() -> vip.toBuilder().address((InetAddress) null).build())));
            out.add(new Missing("vip.status", parts.withVip(() -> vip.toBuilder().status(null).build())));
        });
        for (int i = 0; i < lb.members().size(); i++) {
            Member m = lb.members().get(i);
            out.add(new Missing("members[" + i + "].address",
                    parts.withMember(i, () -> m.toBuilder().address((InetAddress) null).build())));
            out.add(new Missing("members[" + i + "].status", parts.withMember(i, () -> m.toBuilder().status(null).build())));
        }
        for (int i = 0; i < lb.healthMonitors().size(); i++) {
            HealthMonitor m = lb.healthMonitors().get(i);
            out.add(new Missing("health_monitors[" + i + "].type",
                    parts.withMonitor(i, () -> m.toBuilder().type(null).build())));
        }
        return out;
    }

    private static List<Field<String>> textFields(LoadBalancer lb) {
        Parts parts = Parts.of(lb);
        Pool pool = lb.pool();
        Subnet s = lb.subnet();
        List<Field<String>> out = new ArrayList<>();
        out.add(new Field<>("pool.name", Gen.MAX_TEXT, t -> parts.withPool(() -> pool.toBuilder().name(t).build())));
        out.add(new Field<>("pool.description", Gen.MAX_TEXT,
                t -> parts.withPool(() -> pool.toBuilder().description(t).build())));
        out.add(new Field<>("pool.status_description", Gen.MAX_STATUS_DESCRIPTION,
                t -> parts.withPool(() -> pool.toBuilder().statusDescription(t).build())));
        out.add(new Field<>("subnet.name", Gen.MAX_TEXT,
                t -> parts.withSubnet(() -> new Subnet(s.id(), t, s.cidr(), s.gateway()))));
        lb.vip().ifPresent(vip -> {
            out.add(new Field<>("vip.name", Gen.MAX_TEXT, t -> parts.withVip(() -> vip.toBuilder().name(t).build())));
            out.add(new Field<>("vip.description", Gen.MAX_TEXT,
                    t -> parts.withVip(() -> vip.toBuilder().description(t).build())));
            out.add(new Field<>("vip.status_description", Gen.MAX_STATUS_DESCRIPTION,
                    t -> parts.withVip(() -> vip.toBuilder().statusDescription(t).build())));
        });
        for (int i = 0; i < lb.members().size(); i++) {
            Member m = lb.members().get(i);
            int at = i;
            out.add(new Field<>("members[" + i + "].status_description", Gen.MAX_STATUS_DESCRIPTION,
                    t -> parts.withMember(at, () -> m.toBuilder().statusDescription(t).build())));
        }
        return out;
    }

    private static List<Field<String>> tenantFields(LoadBalancer lb) {
        Parts parts = Parts.of(lb);
        List<Field<String>> out = new ArrayList<>();
        out.add(new Field<>("pool.tenant_id", 255, t -> parts.withPool(() -> lb.pool().toBuilder().tenantId(t).build())));
        lb.vip().ifPresent(vip -> out.add(new Field<>("vip.tenant_id", 255,
                t -> parts.withVip(() -> vip.toBuilder().tenantId(t).build()))));
        for (int i = 0; i < lb.members().size(); i++) {
            Member m = lb.members().get(i);
            int at = i;
            out.add(new Field<>("members[" + i + "].tenant_id", 255,
                    t -> parts.withMember(at, () -> m.toBuilder().tenantId(t).build())));
        }
        for (int i = 0; i < lb.healthMonitors().size(); i++) {
            HealthMonitor m = lb.healthMonitors().get(i);
            int at = i;
            out.add(new Field<>("health_monitors[" + i + "].tenant_id", 255,
                    t -> parts.withMonitor(at, () -> m.toBuilder().tenantId(t).build())));
        }
        return out;
    }

    private static List<Field<Integer>> portFields(LoadBalancer lb) {
        Parts parts = Parts.of(lb);
        List<Field<Integer>> out = new ArrayList<>();
        lb.vip().ifPresent(vip -> out.add(new Field<>("vip.protocol_port", 65_535,
                n -> parts.withVip(() -> vip.toBuilder().protocolPort(n).build()))));
        for (int i = 0; i < lb.members().size(); i++) {
            Member m = lb.members().get(i);
            int at = i;
            out.add(new Field<>("members[" + i + "].protocol_port", 65_535,
                    n -> parts.withMember(at, () -> m.toBuilder().protocolPort(n).build())));
        }
        return out;
    }

    private static List<Field<String>> addressTextFields(LoadBalancer lb) {
        Parts parts = Parts.of(lb);
        List<Field<String>> out = new ArrayList<>();
        lb.vip().ifPresent(vip -> out.add(new Field<>("vip.address", 45,
                t -> parts.withVip(() -> vip.toBuilder().address(t).build()))));
        for (int i = 0; i < lb.members().size(); i++) {
            Member m = lb.members().get(i);
            int at = i;
            out.add(new Field<>("members[" + i + "].address", 45,
                    t -> parts.withMember(at, () -> m.toBuilder().address(t).build())));
        }
        return out;
    }

    private static List<Field<InetAddress>> addressFields(LoadBalancer lb) {
        Parts parts = Parts.of(lb);
        List<Field<InetAddress>> out = new ArrayList<>();
        lb.vip().ifPresent(vip -> out.add(new Field<>("vip.address", 45,
                a -> parts.withVip(() -> vip.toBuilder().address(a).build()))));
        for (int i = 0; i < lb.members().size(); i++) {
            Member m = lb.members().get(i);
            int at = i;
            out.add(new Field<>("members[" + i + "].address", 45,
                    a -> parts.withMember(at, () -> m.toBuilder().address(a).build())));
        }
        return out;
    }

    // ---------------------------------------------------------------- bad values

    private static <T> Arbitrary<T> pick(List<T> options) {
        return Arbitraries.of(options);
    }

    private static Arbitrary<Integer> index(List<?> list) {
        return Arbitraries.integers().between(0, list.size() - 1);
    }

    /** A pair {@code [later, earlier]} of indexes into a list of at least two. */
    private static Arbitrary<int[]> laterAndEarlier(List<?> list) {
        return Arbitraries.integers().between(1, list.size() - 1)
                .flatMap(j -> Arbitraries.integers().between(0, j - 1).map(i -> new int[] {j, i}));
    }

    /** Integers just outside, or far outside, {@code min..max}. */
    private static Arbitrary<Integer> badInts(int min, int max) {
        return Arbitraries.frequencyOf(Gen.weight(3, Arbitraries.of(min - 1, max + 1)),
                Gen.weight(1, Arbitraries.integers().between(Integer.MIN_VALUE, min - 1)),
                Gen.weight(1, Arbitraries.integers().between(max + 1, Integer.MAX_VALUE)));
    }

    private static Arbitrary<UUID> otherUuid(UUID not) {
        return Gen.uuids().filter(u -> !u.equals(not));
    }

    private static Arbitrary<String> otherTenant(String not) {
        return Gen.tenantIds().filter(t -> !t.equals(not));
    }

    private static List<Protocol> otherProtocols(Protocol not) {
        List<Protocol> out = new ArrayList<>(List.of(Protocol.values()));
        out.remove(not);
        return out;
    }

    private static Arbitrary<String> badTenants() {
        Arbitrary<String> fixed = Arbitraries.of("", " ", "has space", "-lead", ".lead", "_lead", "semi;colon", "new\nline",
                "tab\t", "quote\"", "hash#", "a/b", "$USER", "d\u00e9j\u00e0", "nul\u0000", "t\u2028");
        Arbitrary<String> tooLong = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(256).ofMaxLength(300);
        Arbitrary<String> withBadChar = inserted(Gen.tenantIds().map(t -> t.substring(0, Math.min(t.length(), 20))),
                Arbitraries.of(" ", ";", "#", "\n", "\"", "'", "\\", "$", "%", "/", ":", "@", "\u00e9"));
        return Arbitraries.oneOf(fixed, tooLong, withBadChar);
    }

    private static Arbitrary<String> badProviders() {
        return Arbitraries.oneOf(Arbitraries.of("HAProxy", "ha proxy", "-x", ".x", "x\n", "x;y", "x#y", "\u00e9", "X",
                        "vendor/x", "a\u0000"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(65).ofMaxLength(80));
    }

    private static Arbitrary<String> textWithControls() {
        Arbitrary<String> bad = Arbitraries.of("\n", "\r", "\r\n", "\u0000", "\t", "\u001b", "\u007f", "\u0085", "\u2028",
                "\u2029", "\u202e", "\u200b", "\ufeff", "\udb40\udc01");
        return inserted(Gen.text(0, 40), bad);
    }

    private static Arbitrary<String> notLiterals() {
        return Arbitraries.of("localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "010.0.0.1", "0x7f.0.0.1",
                "2130706433", "fe80::1%eth0", "2001:db8::1%1", "[2001:db8::1]", "10.0.0.1 ", " 10.0.0.1", "10.0.0.1\n",
                "10.0.0.1/32", "", "::1::", "\u0661.\u0662.\u0663.\u0664", "10.0.0.1:80");
    }

    private static Arbitrary<InetAddress> notUnicast() {
        Arbitrary<InetAddress> fixed = Arbitraries.of("0.0.0.0", "127.0.0.1", "127.1.2.3", "224.0.0.1", "239.255.255.250",
                "255.255.255.255", "::", "::1", "ff02::1", "ff05::1:3", "fe80::1", "febf::ffff")
                .map(t -> IpAddresses.parse(t).orElseThrow());
        Arbitrary<InetAddress> scoped = Gen.hostAddresses(6).map(a -> scoped(a.getAddress()));
        return Arbitraries.frequencyOf(Gen.weight(5, fixed), Gen.weight(1, scoped));
    }

    private static InetAddress scoped(byte[] ipv6) {
        try {
            return Inet6Address.getByAddress(null, ipv6, 1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Arbitrary<String> badUrlPaths() {
        Arbitrary<String> fixed = Arbitraries.of("", "health", "?x=1", "*", "http://example.com/", " /", "/a b", "/x#frag",
                "/\"q\"", "/a\\b", "/x\ny", "/x\r\nHost: evil", "/\u0000", "/%", "/%zz", "/%4", "/\u00e9", "/<script>",
                "/{x}", "/a|b", "/a^b", "/a`b", "/[x]", "/\u2028", "/\u202e");
        Arbitrary<String> tooLong = Arbitraries.strings().withChars(Gen.PCHARS).ofMinLength(Gen.MAX_URL_PATH)
                .ofMaxLength(Gen.MAX_URL_PATH + 100).map(s -> "/" + s);
        return Arbitraries.frequencyOf(Gen.weight(5, fixed), Gen.weight(1, tooLong));
    }

    private static Arbitrary<String> badCodes() {
        return Arbitraries.of("099", "600", "000", "999", "20", "2000", "0200", "abc", "", " ", "200,", ",200", "200,,202",
                "-200", "200-", "200-204-208", "2OO", "200;202", "200 202", "200 - 204", "200,202-204", "200-204,300",
                "099-200", "200-600", "\u0662\u0660\u0660", "200\n#");
    }

    private static Arbitrary<String> badCookieNames() {
        Arbitrary<String> fixed = Arbitraries.of("", "a b", "a;b", "a=b", "a,b", "\"q\"", "a\nb", "a\tb", "(x)", "a/b",
                "a\u0000", "\u00e9", "x\r\nSet-Cookie: y", "$Version", "$", "$Path", "a@b", "a:b", "a?b", "{a}", "[a]", "a\\b");
        Arbitrary<String> tooLong = Arbitraries.strings().withChars(Gen.COOKIE_CHARS).ofMinLength(Gen.MAX_COOKIE_NAME + 1)
                .ofMaxLength(Gen.MAX_COOKIE_NAME + 40);
        Arbitrary<String> withSeparator = inserted(
                Arbitraries.strings().withChars(Gen.COOKIE_CHARS).ofMinLength(1).ofMaxLength(20),
                Arbitraries.of("(", ")", "<", ">", "@", ",", ";", ":", "\\", "\"", "/", "[", "]", "?", "=", "{", "}", " ",
                        "\t"));
        return Arbitraries.oneOf(fixed, tooLong, withSeparator);
    }

    private static Arbitrary<String> badCidrTexts() {
        return Arbitraries.of("", "10.0.0.0", "10.0.0.0/", "/24", "localhost/24", "10.0.0/24", "10.0.0.0/1234",
                "10.0.0.0/24\n", "fe80::%eth0/64", "10.0.0.0/2a", "10.0.0.0/ 24", "10.0.0.0 /24", "10.0.0.0/+8",
                "10.0.0.0/-1", "2001:db8::/6 4");
    }

    /** Strings of {@code base} with one {@code fragment} inserted at some position. */
    private static Arbitrary<String> inserted(Arbitrary<String> base, Arbitrary<String> fragment) {
        return base.flatMap(b -> fragment.flatMap(x -> Arbitraries.integers().between(0, b.length())
                .map(at -> b.substring(0, at) + x + b.substring(at))));
    }
}

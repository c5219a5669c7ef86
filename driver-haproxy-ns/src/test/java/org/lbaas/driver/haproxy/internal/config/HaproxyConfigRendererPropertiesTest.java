package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.Text;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;
import org.lbaas.testkit.LbArbitraries;

/**
 * Properties of the renderer over generated valid load balancers ({@link LbArbitraries}):
 * the text holds exactly the expected lines and arguments (checked against the independent oracle
 * {@link ExpectedLines} through the test-side parser model), fields that are never rendered cannot
 * influence the text, and rendering is deterministic.
 */
class HaproxyConfigRendererPropertiesTest {

    /** RFC 6265 token characters that mean something to one of HAProxy's two parsing levels. */
    private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";
    /** RFC 3986 path characters that mean something to HAProxy's line parser or to a shell. */
    private static final String PATH_SPECIALS = "$&'()*+,;=:@/?-._~!";

    @Provide
    Arbitrary<LoadBalancer> lbs() {
        return RenderArbitraries.deployable(30);
    }

    @Provide
    Arbitrary<RenderSettings> settings() {
        return RenderArbitraries.settings();
    }

    /** Cookie names built mostly from the special token characters (never a leading '$'). */
    @Provide
    Arbitrary<String> nastyCookieNames() {
        Arbitrary<String> first = Arbitraries.strings().withChars(TOKEN_SPECIALS.replace("$", "") + "aZ9").ofLength(1);
        Arbitrary<String> rest = Arbitraries.strings().withChars(TOKEN_SPECIALS + "aZ9").ofMaxLength(63);
        return Arbitraries.oneOf(Combinators.combine(first, rest).as(String::concat), LbArbitraries.cookieNames());
    }

    /** URL paths built mostly from the special path characters, with percent escapes. */
    @Provide
    Arbitrary<String> nastyPaths() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.strings().withChars(PATH_SPECIALS + "aZ9").ofMaxLength(20),
                Arbitraries.of("%24HOME", "%23", "%0A", "%00", "%25", "%22", "%5C"));
        Arbitrary<String> nasty = piece.list().ofMaxSize(12).map(l -> "/" + String.join("", l));
        return Arbitraries.oneOf(nasty, LbArbitraries.urlPaths());
    }

    @Property(tries = 400)
    void theTextHoldsExactlyTheExpectedLinesAndArguments(@ForAll("lbs") LoadBalancer lb, @ForAll("settings") RenderSettings s) {
        InstanceFiles files = RenderFixtures.files(lb);
        String text = new HaproxyConfigRenderer(s).render(lb, files);
        assertEquals(ExpectedLines.of(lb, s, files), ExpectedLines.decode(text));
        Statistics.label("protocol").collect(lb.pool().protocol());
        Statistics.label("persistence").collect(lb.vip().orElseThrow().sessionPersistence().map(p -> p.type().name()).orElse("none"));
    }

    @Property(tries = 400)
    void renderedStringsCannotAddOrChangeAnything(@ForAll("lbs") LoadBalancer generated, @ForAll("nastyCookieNames") String cookie,
                                                  @ForAll("nastyPaths") String path, @ForAll("nastyPaths") String path2,
                                                  @ForAll("codes") ExpectedCodes codes) {
        LoadBalancer lb = generated;
        Vip vip = lb.vip().orElseThrow();
        if (vip.protocol().isHttp()) {
            lb = lb.withVip(Optional.of(vip.toBuilder().sessionPersistence(SessionPersistence.appCookie(cookie)).build()));
        }
        List<HealthMonitor> monitors = new ArrayList<>(lb.healthMonitors());
        String tenant = lb.pool().tenantId();
        monitors.add(HealthMonitor.builder().id(new java.util.UUID(1, 1)).tenantId(tenant).type(MonitorType.HTTP)
                .httpCheck(new HttpCheck(HttpMethod.POST, path, codes)).build());
        monitors.add(HealthMonitor.builder().id(new java.util.UUID(1, 2)).tenantId(tenant).type(MonitorType.HTTPS)
                .httpCheck(new HttpCheck(HttpMethod.OPTIONS, path2, ExpectedCodes.parse("200-204"))).build());
        lb = lb.withHealthMonitors(monitors);
        RenderSettings s = RenderSettings.defaults();
        InstanceFiles files = RenderFixtures.files(lb);
        String text = new HaproxyConfigRenderer(s).render(lb, files);
        assertEquals(ExpectedLines.of(lb, s, files), ExpectedLines.decode(text));
    }

    @Provide
    Arbitrary<ExpectedCodes> codes() {
        Arbitrary<ExpectedCodes> many = Arbitraries.integers().between(100, 599).set().ofMinSize(1).ofMaxSize(200)
                .map(set -> ExpectedCodes.parse(String.join(",", set.stream().map(String::valueOf).toList())));
        return Arbitraries.oneOf(LbArbitraries.expectedCodes(), many);
    }

    @Property(tries = 300)
    void namesDescriptionsTenantsAndStatusTextAreNeverRendered(@ForAll("lbs") LoadBalancer lb,
                                                               @ForAll("hostile") String h1, @ForAll("hostile") String h2,
                                                               @ForAll("hostile") String h3, @ForAll("hostile") String h4,
                                                               @ForAll("tenants") String tenant) {
        HaproxyConfigRenderer renderer = new HaproxyConfigRenderer(RenderSettings.defaults());
        String plain = renderer.render(lb, RenderFixtures.files(lb));
        LoadBalancer dressed = dress(lb, text(h1, 255), text(h2, 255), text(h3, 1024), text(h4, 255), tenant);
        String text = renderer.render(dressed, RenderFixtures.files(dressed));
        assertEquals(plain, text);
        assertTrue(text.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f)), "non-ASCII or control character in output");
    }

    @Provide
    Arbitrary<String> hostile() {
        return LbArbitraries.hostileStrings();
    }

    @Provide
    Arbitrary<String> tenants() {
        return LbArbitraries.tenantIds();
    }

    @Property(tries = 300)
    void renderingIsDeterministic(@ForAll("lbs") LoadBalancer lb, @ForAll("settings") RenderSettings s) {
        String first = new HaproxyConfigRenderer(s).render(lb, RenderFixtures.files(lb));
        // a structurally equal copy, rebuilt from its parts, and a second renderer
        LoadBalancer copy = new LoadBalancer(lb.subnet(), lb.pool().toBuilder().build(),
                lb.vip().map(v -> v.toBuilder().build()), lb.members().stream().map(m -> m.toBuilder().build()).toList(),
                lb.healthMonitors().stream().map(m -> m.toBuilder().build()).toList());
        assertEquals(first, new HaproxyConfigRenderer(s).render(copy, RenderFixtures.files(copy)));
        assertEquals(first, new HaproxyConfigRenderer(s).render(lb, RenderFixtures.files(lb)));
    }

    /**
     * The hostile string itself when the model accepts it as free text of that length, otherwise
     * what survives of it (control characters blanked, cut to the length): either way a value that
     * passed validation.
     */
    private static String text(String hostile, int max) {
        try {
            Pool.builder().id(new java.util.UUID(0, 1)).tenantId("t").subnetId(new java.util.UUID(0, 2))
                    .protocol(org.lbaas.model.Protocol.TCP).name(hostile.length() <= max ? hostile : "x").build();
            if (hostile.length() <= max) {
                return hostile;
            }
        } catch (ValidationException rejected) {
            // fall through to the survivor
        }
        String survivor = Text.statusDescription(hostile);
        if (survivor.length() > max) {
            int end = Character.isLowSurrogate(survivor.charAt(max)) ? max - 1 : max;
            survivor = survivor.substring(0, end);
        }
        return survivor;
    }

    private static LoadBalancer dress(LoadBalancer lb, String name, String description, String why, String subnetName,
                                      String tenant) {
        Subnet subnet = new Subnet(lb.subnet().id(), subnetName, lb.subnet().cidr(), lb.subnet().gateway());
        Pool pool = lb.pool().toBuilder().name(name).description(description).tenantId(tenant).statusDescription(why)
                .provider("vendor_x").build();
        Optional<Vip> vip = lb.vip().map(v -> v.toBuilder().name(description).description(name).tenantId(tenant)
                .statusDescription(why).build());
        List<Member> members = lb.members().stream().map(m -> m.toBuilder().tenantId(tenant).statusDescription(why).build())
                .toList();
        List<HealthMonitor> monitors = lb.healthMonitors().stream().map(m -> m.toBuilder().tenantId(tenant).build()).toList();
        return new LoadBalancer(subnet, pool, vip, members, monitors);
    }
}

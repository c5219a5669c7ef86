package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.Pool;
import org.lbaas.model.Protocol;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Vip;
import org.lbaas.model.Violation;

/**
 * Every string field of a valid load balancer, set to a hostile string, is either rejected with a
 * violation at that field's path, or accepted only when the value is provably harmless for its
 * kind: free text without control, format or line-separator characters and within its length;
 * tokens, paths and codes made only of their RFC character classes.
 */
@StatisticsReport(onFailureOnly = true)
class HostileStringPropertiesTest {

    /** Characters that end a line somewhere (a config file, a log, a terminal, JavaScript). */
    private static final Pattern LINE_BREAKING = Pattern.compile("[\\r\\n\\u0000\\u0085\\u2028\\u2029\\u000b\\u000c]");

    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern PROVIDER = Pattern.compile("|[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    private static final Pattern PATH_CHARS = Pattern.compile("/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2}){0,1023}");
    private static final Pattern CODES = Pattern.compile("[1-5][0-9]{2}(?:,[1-5][0-9]{2})*|[1-5][0-9]{2}-[1-5][0-9]{2}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-f:.]{2,39}");

    /** The harmlessness proof for accepted free text, written apart from the model's code. */
    static boolean harmlessText(String s, int max) {
        return s.length() <= max && s.codePoints().noneMatch(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR);
    }

    /** A string field of a load balancer: where it is, how to set it, how to read it back, what is harmless. */
    enum StringField {
        SUBNET_NAME("subnet.name", s -> harmlessText(s, 255)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                Subnet n = lb.subnet();
                return Parts.of(lb).withSubnet(() -> new Subnet(n.id(), s, n.cidr(), n.gateway()));
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.subnet().name();
            }
        },
        POOL_NAME("pool.name", s -> harmlessText(s, 255)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withPool(() -> lb.pool().toBuilder().name(s).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.pool().name();
            }
        },
        POOL_DESCRIPTION("pool.description", s -> harmlessText(s, 255)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withPool(() -> lb.pool().toBuilder().description(s).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.pool().description();
            }
        },
        POOL_STATUS_DESCRIPTION("pool.status_description", s -> harmlessText(s, 1024)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withPool(() -> lb.pool().withStatus(lb.pool().status(), s));
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.pool().statusDescription();
            }
        },
        POOL_PROVIDER("pool.provider", s -> PROVIDER.matcher(s).matches()) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withPool(() -> lb.pool().toBuilder().provider(s).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.pool().provider();
            }
        },
        TENANT_ID("tenant_id", s -> TENANT.matcher(s).matches()) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                Parts p = Parts.of(lb).withPool(() -> lb.pool().toBuilder().tenantId(s).build());
                Vip vip = lb.vip().orElseThrow();
                p = p.withVip(() -> vip.toBuilder().tenantId(s).build());
                for (int i = 0; i < lb.members().size(); i++) {
                    Member m = lb.members().get(i);
                    p = p.withMember(i, () -> m.toBuilder().tenantId(s).build());
                }
                for (int i = 0; i < lb.healthMonitors().size(); i++) {
                    HealthMonitor m = lb.healthMonitors().get(i);
                    p = p.withMonitor(i, () -> m.toBuilder().tenantId(s).build());
                }
                return p;
            }

            @Override
            String read(LoadBalancer lb) {
                String tenant = lb.pool().tenantId();
                assertEquals(tenant, lb.vip().orElseThrow().tenantId());
                lb.members().forEach(m -> assertEquals(tenant, m.tenantId()));
                lb.healthMonitors().forEach(m -> assertEquals(tenant, m.tenantId()));
                return tenant;
            }

            @Override
            boolean isItsPath(String path) {
                return path.equals("pool.tenant_id") || path.equals("vip.tenant_id")
                        || path.matches("(members|health_monitors)\\[\\d+]\\.tenant_id");
            }
        },
        VIP_NAME("vip.name", s -> harmlessText(s, 255)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withVip(() -> vip(lb).toBuilder().name(s).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return vip(lb).name();
            }
        },
        VIP_DESCRIPTION("vip.description", s -> harmlessText(s, 255)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withVip(() -> vip(lb).toBuilder().description(s).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return vip(lb).description();
            }
        },
        VIP_STATUS_DESCRIPTION("vip.status_description", s -> harmlessText(s, 1024)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withVip(() -> vip(lb).withStatus(vip(lb).status(), s));
            }

            @Override
            String read(LoadBalancer lb) {
                return vip(lb).statusDescription();
            }
        },
        COOKIE_NAME("vip.session_persistence.cookie_name", s -> TOKEN.matcher(s).matches()) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                return Parts.of(lb).withVip(() -> {
                    SessionPersistence sp;
                    try {
                        sp = SessionPersistence.appCookie(s);
                    } catch (ValidationException e) {
                        throw e.prefixed("session_persistence");
                    }
                    return vip(lb).toBuilder().sessionPersistence(sp).build();
                });
            }

            @Override
            String read(LoadBalancer lb) {
                return vip(lb).sessionPersistence().orElseThrow().cookieName().orElseThrow();
            }
        },
        MEMBER_STATUS_DESCRIPTION("members[0].status_description", s -> harmlessText(s, 1024)) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                Member m = lb.members().get(0);
                return Parts.of(lb).withMember(0, () -> m.withStatus(m.status(), s));
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.members().get(0).statusDescription();
            }
        },
        MEMBER_ADDRESS("members[0].address", s -> ADDRESS.matcher(s).matches()) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                Member m = lb.members().get(0);
                return Parts.of(lb).withMember(0, () -> m.toBuilder().address(s).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return IpAddresses.toText(lb.members().get(0).address());
            }
        },
        URL_PATH("health_monitors[0].url_path", s -> PATH_CHARS.matcher(s).matches()) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                HealthMonitor m = lb.healthMonitors().get(0);
                HttpCheck c = m.httpCheck().orElseThrow();
                return Parts.of(lb).withMonitor(0, () -> m.toBuilder()
                        .httpCheck(new HttpCheck(c.method(), s, c.expectedCodes())).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.healthMonitors().get(0).httpCheck().orElseThrow().urlPath();
            }
        },
        EXPECTED_CODES("health_monitors[0].expected_codes", s -> CODES.matcher(s).matches()) {
            @Override
            Parts set(LoadBalancer lb, String s) {
                HealthMonitor m = lb.healthMonitors().get(0);
                HttpCheck c = m.httpCheck().orElseThrow();
                return Parts.of(lb).withMonitor(0, () -> m.toBuilder()
                        .httpCheck(new HttpCheck(c.method(), c.urlPath(), new ExpectedCodes(s))).build());
            }

            @Override
            String read(LoadBalancer lb) {
                return lb.healthMonitors().get(0).httpCheck().orElseThrow().expectedCodes().spec();
            }

            @Override
            boolean storesItVerbatim() {
                return false;
            }
        };

        private final String path;
        private final Predicate<String> harmless;

        StringField(String path, Predicate<String> harmless) {
            this.path = path;
            this.harmless = harmless;
        }

        abstract Parts set(LoadBalancer lb, String s);

        abstract String read(LoadBalancer lb);

        boolean isItsPath(String p) {
            return p.equals(path);
        }

        /** Expected codes are stored in canonical form (spaces dropped); every other field as given. */
        boolean storesItVerbatim() {
            return true;
        }

        private static Vip vip(LoadBalancer lb) {
            return lb.vip().orElseThrow();
        }
    }

    @Property
    void aHostileStringInAnyFieldIsRejectedThereOrProvablyHarmless(@ForAll("targets") LoadBalancer lb,
                                                                   @ForAll StringField field,
                                                                   @ForAll("hostile") String s) {
        Optional<LoadBalancer> accepted;
        try {
            accepted = Optional.of(field.set(lb, s).assemble());
        } catch (ValidationException e) {
            accepted = Optional.empty();
            assertFalse(e.violations().isEmpty());
            for (Violation v : e.violations()) {
                assertTrue(field.isItsPath(v.path()), () -> field + ": violation elsewhere: " + v);
                assertFalse(LINE_BREAKING.matcher(v.rejectedValue()).find(), () -> "message breaks the line: " + v);
                assertFalse(LINE_BREAKING.matcher(v.message()).find(), () -> "message breaks the line: " + v);
            }
        }
        Statistics.label("outcome").collect(accepted.isPresent() ? "accepted" : "rejected");
        Statistics.label("field").collect(field);
        if (accepted.isPresent()) {
            String stored = field.read(accepted.get());
            if (field.storesItVerbatim()) {
                assertEquals(s, stored, field + " changed the value it accepted");
            }
            assertTrue(field.harmless.test(stored), () -> field + " accepted a harmful value: "
                    + Violation.of(field.path, stored, "-").rejectedValue());
            assertFalse(LINE_BREAKING.matcher(stored).find(), () -> field + " carries a line break");
        }
        Statistics.label("outcome").coverage(c -> {
            c.check("accepted").count(n -> n > 0);
            c.check("rejected").percentage(p -> p > 50.0);
        });
        Statistics.label("field").coverage(c -> {
            for (StringField f : StringField.values()) {
                c.check(f).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<LoadBalancer> targets() {
        return LbArbitraries.loadBalancers().withVip().withProtocols(Protocol.HTTP).withMembers(1, 3).withMonitors(1, 2)
                .withMonitorTypes(MonitorType.HTTP, MonitorType.HTTPS);
    }

    @Provide
    Arbitrary<String> hostile() {
        return LbArbitraries.hostileStrings();
    }

    @Property(tries = 500)
    void aHostileStringIsNeverAnEnumValue(@ForAll("hostile") String s) {
        org.lbaas.model.Violations v = new org.lbaas.model.Violations();
        assertTrue(v.enumValue(Protocol.class, s, "protocol").isEmpty());
        assertTrue(v.enumValue(org.lbaas.model.HttpMethod.class, s, "http_method").isEmpty());
        assertEquals(2, v.list().size());
    }

    @Property(tries = 500)
    void hostileStringsAreHostile(@ForAll("hostile") String s) {
        boolean odd = s.length() > 255 || s.chars().anyMatch(c -> !(c < 128 && Character.isLetterOrDigit(c)));
        assertTrue(odd, () -> "not hostile: " + s);
        Statistics.label("line break").collect(LINE_BREAKING.matcher(s).find());
        Statistics.label("long").collect(s.length() > 1024);
        Statistics.label("line break").coverage(c -> c.check(true).percentage(p -> p > 10.0));
        Statistics.label("long").coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Property(tries = 200)
    void textThatIsOnlyHostileToConfigsIsAcceptedInFreeTextAsIs(@ForAll("configSyntax") String s) {
        Pool pool = Pool.builder().id(new java.util.UUID(1, 1)).tenantId("t").subnetId(new java.util.UUID(2, 2))
                .protocol(Protocol.TCP).name(s).build();
        assertEquals(s, pool.name());
    }

    @Provide
    Arbitrary<String> configSyntax() {
        return net.jqwik.api.Arbitraries.of(List.of("#", "\"quoted\"", "'single'", "back\\slash", "$(reboot)", "100%",
                "a b  c", "`id`", "{x}", "; rm -rf /"));
    }
}

package org.lbaas.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;

/** Every invalid case fails, exactly at its labelled path, for its labelled rule. */
@StatisticsReport(onFailureOnly = true)
class InvalidLoadBalancerPropertiesTest {

    /** Words the model's rule text must contain for each rule (any one of them). */
    static final Map<BrokenRule, List<String>> KEYWORDS = new EnumMap<>(BrokenRule.class);

    static {
        KEYWORDS.put(BrokenRule.REQUIRED, List.of("is required"));
        KEYWORDS.put(BrokenRule.TENANT_ID_FORMAT, List.of("letters, digits"));
        KEYWORDS.put(BrokenRule.TEXT_TOO_LONG, List.of("at most"));
        KEYWORDS.put(BrokenRule.TEXT_CONTROL_CHARACTERS, List.of("control characters"));
        KEYWORDS.put(BrokenRule.PROVIDER_FORMAT, List.of("lower-case"));
        KEYWORDS.put(BrokenRule.ENUM_UNKNOWN_VALUE, List.of("must be one of"));
        KEYWORDS.put(BrokenRule.PORT_RANGE, List.of("between 1 and 65535"));
        KEYWORDS.put(BrokenRule.WEIGHT_RANGE, List.of("between 0 and 256"));
        KEYWORDS.put(BrokenRule.ADDRESS_NOT_LITERAL, List.of("address literal"));
        KEYWORDS.put(BrokenRule.ADDRESS_NOT_UNICAST, List.of("unicast"));
        KEYWORDS.put(BrokenRule.CONNECTION_LIMIT_RANGE, List.of("-1 (unlimited)"));
        KEYWORDS.put(BrokenRule.MONITOR_DELAY_RANGE, List.of("between 1 and 86400"));
        KEYWORDS.put(BrokenRule.MONITOR_TIMEOUT_RANGE, List.of("between 1 and 86400"));
        KEYWORDS.put(BrokenRule.TIMEOUT_EXCEEDS_DELAY, List.of("must not exceed delay"));
        KEYWORDS.put(BrokenRule.MAX_RETRIES_RANGE, List.of("between 1 and 10"));
        KEYWORDS.put(BrokenRule.HTTP_FIELDS_MISSING, List.of("needs http_method"));
        KEYWORDS.put(BrokenRule.HTTP_FIELDS_NOT_ALLOWED, List.of("only for HTTP and HTTPS"));
        KEYWORDS.put(BrokenRule.URL_PATH_FORMAT, List.of("RFC 3986"));
        KEYWORDS.put(BrokenRule.EXPECTED_CODES_FORMAT, List.of("3-digit codes"));
        KEYWORDS.put(BrokenRule.EXPECTED_CODES_REVERSED_RANGE, List.of("run upward"));
        KEYWORDS.put(BrokenRule.EXPECTED_CODES_REPEATED, List.of("must not repeat"));
        KEYWORDS.put(BrokenRule.COOKIE_NAME_MISSING, List.of("required for APP_COOKIE"));
        KEYWORDS.put(BrokenRule.COOKIE_NAME_NOT_ALLOWED, List.of("only APP_COOKIE"));
        KEYWORDS.put(BrokenRule.COOKIE_NAME_FORMAT, List.of("RFC 6265 token"));
        KEYWORDS.put(BrokenRule.COOKIE_PERSISTENCE_NEEDS_HTTP, List.of("needs protocol HTTP"));
        KEYWORDS.put(BrokenRule.CIDR_FORMAT, List.of("must be a CIDR"));
        KEYWORDS.put(BrokenRule.CIDR_PREFIX_RANGE, List.of("must be between 0 and"));
        KEYWORDS.put(BrokenRule.CIDR_HOST_BITS, List.of("host bits"));
        KEYWORDS.put(BrokenRule.GATEWAY_OUTSIDE_SUBNET, List.of("must lie inside cidr"));
        KEYWORDS.put(BrokenRule.GATEWAY_IS_NETWORK_ADDRESS, List.of("network address"));
        KEYWORDS.put(BrokenRule.GATEWAY_IS_BROADCAST_ADDRESS, List.of("broadcast address"));
        KEYWORDS.put(BrokenRule.VIP_POOL_MISMATCH, List.of("pool's id"));
        KEYWORDS.put(BrokenRule.VIP_PROTOCOL_MISMATCH, List.of("pool's protocol"));
        KEYWORDS.put(BrokenRule.VIP_TENANT_MISMATCH, List.of("pool's tenant"));
        KEYWORDS.put(BrokenRule.VIP_SUBNET_MISMATCH, List.of("subnet's id"));
        KEYWORDS.put(BrokenRule.VIP_ADDRESS_OUTSIDE_SUBNET, List.of("inside the subnet"));
        KEYWORDS.put(BrokenRule.VIP_ADDRESS_IS_GATEWAY, List.of("gateway"));
        KEYWORDS.put(BrokenRule.VIP_ADDRESS_IS_NETWORK, List.of("network address", "anycast address"));
        KEYWORDS.put(BrokenRule.VIP_ADDRESS_IS_BROADCAST, List.of("broadcast address"));
        KEYWORDS.put(BrokenRule.MEMBER_POOL_MISMATCH, List.of("pool's id"));
        KEYWORDS.put(BrokenRule.MEMBER_TENANT_MISMATCH, List.of("pool's tenant"));
        KEYWORDS.put(BrokenRule.MEMBER_ID_DUPLICATE, List.of("unique among the pool's members"));
        KEYWORDS.put(BrokenRule.MEMBER_ENDPOINT_DUPLICATE, List.of("(address, protocol_port) must be unique"));
        KEYWORDS.put(BrokenRule.MONITOR_ID_DUPLICATE, List.of("associated with a pool once"));
        KEYWORDS.put(BrokenRule.MONITOR_TENANT_MISMATCH, List.of("pool's tenant"));
    }

    static void assertFailsAsLabelled(InvalidCase c) {
        ValidationException e = c.failure();
        List<String> paths = e.violations().stream().map(Violation::path).toList();
        assertEquals(c.expectedPaths().size(), paths.size(), () -> c + " gave:\n" + e.getMessage());
        assertEquals(new TreeSet<>(c.expectedPaths()), new TreeSet<>(paths), () -> c + " gave:\n" + e.getMessage());
        for (Violation v : e.violations()) {
            String rule = v.rule().toLowerCase(Locale.ROOT);
            assertTrue(KEYWORDS.get(c.rule()).stream().anyMatch(k -> rule.contains(k.toLowerCase(Locale.ROOT))),
                    () -> c + ": rule text does not name the rule: " + v);
            assertTrue(isOneLine(v.rejectedValue()), () -> "rejected value is not one printable line: " + v);
        }
    }

    static boolean isOneLine(String s) {
        return s.codePoints().noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
                || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR);
    }

    @Property
    void everyInvalidCaseFailsWithExactlyTheLabelledViolation(@ForAll("invalid") InvalidCase c) {
        assertFailsAsLabelled(c);
        Statistics.collect(c.rule());
        Statistics.coverage(cov -> {
            for (BrokenRule rule : BrokenRule.values()) {
                cov.check(rule).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<InvalidCase> invalid() {
        return LbArbitraries.invalidLoadBalancers();
    }

    @ParameterizedTest
    @EnumSource(BrokenRule.class)
    void everyRuleHasAGeneratorThatBreaksExactlyThatRule(BrokenRule rule) {
        List<InvalidCase> cases = LbArbitraries.invalidLoadBalancers(rule).sampleStream().limit(25).toList();
        Set<String> seenPaths = new TreeSet<>();
        for (InvalidCase c : cases) {
            assertSame(rule, c.rule());
            assertFailsAsLabelled(c);
            seenPaths.addAll(c.expectedPaths());
        }
        assertTrue(!seenPaths.isEmpty());
    }

    @Test
    void everyRuleHasKeywords() {
        assertEquals(Set.of(BrokenRule.values()), KEYWORDS.keySet());
    }

    @Property(tries = 100)
    void theInputFailsEveryTimeItIsBuilt(@ForAll("invalid") InvalidCase c) {
        ValidationException first = assertThrows(ValidationException.class, c.input()::get);
        ValidationException second = assertThrows(ValidationException.class, c.input()::get);
        assertEquals(first.violations(), second.violations());
    }

    @Property(tries = 200)
    void descriptionsArePrintableAndNameTheRuleAndPath(@ForAll("invalid") InvalidCase c) {
        String text = c.toString();
        assertTrue(text.startsWith(c.rule().name() + " at "), text);
        assertTrue(isOneLine(text), text);
        assertTrue(c.expectedPaths().stream().allMatch(text::contains), text);
        if (c.expectedPaths().size() == 1) {
            assertEquals(c.expectedPaths().iterator().next(), c.path());
        }
    }

    @Property(tries = 200)
    void aSubsetOfRulesYieldsOnlyThoseRules(@ForAll("memberRules") InvalidCase c) {
        assertTrue(Set.of(BrokenRule.MEMBER_ENDPOINT_DUPLICATE, BrokenRule.WEIGHT_RANGE).contains(c.rule()));
        assertTrue(c.path().startsWith("members["), c.path());
        Statistics.collect(c.rule());
        Statistics.coverage(cov -> {
            cov.check(BrokenRule.MEMBER_ENDPOINT_DUPLICATE).count(n -> n > 0);
            cov.check(BrokenRule.WEIGHT_RANGE).count(n -> n > 0);
        });
    }

    @Provide
    Arbitrary<InvalidCase> memberRules() {
        return LbArbitraries.invalidLoadBalancers(BrokenRule.MEMBER_ENDPOINT_DUPLICATE, BrokenRule.WEIGHT_RANGE);
    }

    @Test
    void askingForNoRuleIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LbArbitraries.invalidLoadBalancers(new BrokenRule[0]));
    }

    @Test
    void theCaseRecordChecksItsComponents() {
        assertThrows(IllegalArgumentException.class, () -> new InvalidCase(BrokenRule.REQUIRED, Set.of(), "x", () -> null));
        assertThrows(NullPointerException.class, () -> new InvalidCase(null, Set.of("a"), "x", () -> null));
        InvalidCase two = new InvalidCase(BrokenRule.REQUIRED, Set.of("b", "a"), "x", () -> null);
        assertThrows(IllegalStateException.class, two::path);
        assertEquals("REQUIRED at [a, b]: x", two.toString());
        AssertionError accepted = assertThrows(AssertionError.class,
                () -> new InvalidCase(BrokenRule.REQUIRED, Set.of("a"), "x", () -> LbArbitraries.loadBalancers().sample()).failure());
        assertTrue(accepted.getMessage().contains("was not enforced"));
    }
}

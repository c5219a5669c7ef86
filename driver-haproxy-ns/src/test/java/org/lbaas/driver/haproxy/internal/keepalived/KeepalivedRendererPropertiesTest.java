package org.lbaas.driver.haproxy.internal.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.lbaas.driver.haproxy.internal.InstanceId;
import org.lbaas.model.LoadBalancer;
import org.lbaas.testkit.LbArbitraries;

/**
 * For arbitrary load balancers ({@link LbArbitraries}) the rendered keepalived configuration holds
 * only lines of the renderer's grammar, written here independently as patterns, and the only values
 * taken from the model are the pool id (in the instance name) and the VIP's address: no free model
 * string reaches the file. Hostile strings given where the driver supplies names and paths are
 * refused or produce grammar lines only.
 */
class KeepalivedRendererPropertiesTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String IF = "[A-Za-z0-9][A-Za-z0-9_.-]{0,14}";
    private static final String PATH = "/[A-Za-z0-9_./+-]*";
    private static final String IPV4 = "169\\.254\\.(19[2-9]|2[0-5][0-9])\\.[0-9]{1,3}";
    private static final String IP = "([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)";
    private static final String NUMBER = "[1-9][0-9]{0,2}";

    /** The grammar: every line of every rendered file matches one of these. */
    private static final List<Pattern> GRAMMAR = List.of(
            "global_defs \\{", "    router_id lb-" + UUID + "-[01]", "    vrrp_version 3", "    enable_script_security",
            "    script_user root", "\\}",
            "track_file haproxy \\{", "    file " + PATH, "    weight 0", "    init_file 1",
            "vrrp_instance lb-" + UUID + "-[01] \\{", "    state BACKUP", "    interface " + IF,
            "    virtual_router_id " + NUMBER, "    priority " + NUMBER, "    advert_int [0-9]{1,2}(\\.[0-9]{1,2})?",
            "    nopreempt", "    unicast_src_ip " + IPV4, "    unicast_peer \\{", "        " + IPV4, "    \\}",
            "    check_unicast_src", "    virtual_ipaddress \\{", "        " + IPV4 + "/29 dev " + IF,
            "    virtual_ipaddress_excluded \\{", "        " + IP + "/(32|128) dev " + IF,
            "    track_interface \\{", "        " + IF, "    track_file \\{", "        haproxy",
            "    garp_master_delay 1", "    garp_master_repeat 3", "    garp_master_refresh 5",
            "    garp_master_refresh_repeat 2", "    notify " + PATH)
            .stream().map(Pattern::compile).toList();

    @Provide
    Arbitrary<LoadBalancer> lbs() {
        return Arbitraries.oneOf(LbArbitraries.loadBalancers().withVip().withMembers(0, 5),
                LbArbitraries.loadBalancers().withVip().ipv6Only().withMembers(0, 5));
    }

    @Provide
    Arbitrary<Duration> adverts() {
        return Arbitraries.integers().between(1, 4095).map(cs -> Duration.ofMillis(cs * 10L));
    }

    @Property(tries = 300)
    void renderedConfigHoldsOnlyGrammarLinesAndOnlyPoolIdAndVipAddressFromTheModel(@ForAll("lbs") LoadBalancer lb,
            @ForAll("adverts") Duration advert, @ForAll boolean second, @ForAll boolean notify) {
        InstanceId id = new InstanceId(lb.pool().id(), second ? 1 : 0);
        HaPair pair = HaAddressing.allocate(lb.pool().id(), Set.of());
        KeepalivedConfig config = KeepalivedConfig.forPair(id, pair, "ha0", lb.vip().orElseThrow().address(), "vip0", advert,
                Path.of("/run/lbaas", id.key(), "haproxy.down"),
                notify ? Optional.of(Path.of("/run/lbaas", id.key(), "notify")) : Optional.empty());
        String text = KeepalivedRenderer.render(config);

        assertGrammar(text);
        String name = "lb-" + lb.pool().id() + "-" + id.ordinal();
        assertTrue(text.contains("    router_id " + name + "\n") && text.contains("vrrp_instance " + name + " {\n"), text);
        String vip = config.vip().text("vip");
        assertTrue(text.contains("\n        " + vip + "\n"), text);
        // every variable word is accounted for: blank out the pool id and the VIP's address and
        // what is left holds no model value (grammar words and the driver's own values only)
        String rest = text.replace(lb.pool().id().toString(), "POOL").replace(vip, "VIP");
        assertTrue(rest.lines().noneMatch(l -> l.contains(lb.pool().tenantId()) && lb.pool().tenantId().length() > 8), rest);
        assertTrue(Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-").matcher(rest).results().count() == 0,
                "an id other than the pool id reached the file: " + rest);
        assertEquals(text, KeepalivedRenderer.render(config), "rendering is deterministic");
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(LbArbitraries.hostileStrings(), Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withChars("abc01_.-/ {}#!\"$@~\n\\").ofMinLength(1).ofMaxLength(16));
    }

    @Property(tries = 500)
    void hostileNamesAndPathsAreRefusedOrRenderOnlyGrammarLines(@ForAll("hostile") String value) {
        KeepalivedConfig good = KeepalivedCases.all().get(0).config();
        String asPath = "/" + value;
        for (int which = 0; which < 3; which++) {
            String text;
            try {
                KeepalivedConfig changed = switch (which) {
                    case 0 -> new KeepalivedConfig(good.instance(), value, good.unicastSource(), good.unicastPeer(),
                            new VirtualAddress(good.haAddress().address(), 29, value), good.virtualRouterId(), good.priority(),
                            good.advertInterval(), good.vip(), good.trackInterfaces(), good.trackFile(), good.notifyScript());
                    case 1 -> new KeepalivedConfig(good.instance(), good.haInterface(), good.unicastSource(), good.unicastPeer(),
                            good.haAddress(), good.virtualRouterId(), good.priority(), good.advertInterval(), good.vip(),
                            List.of(value), good.trackFile(), good.notifyScript());
                    default -> new KeepalivedConfig(good.instance(), good.haInterface(), good.unicastSource(),
                            good.unicastPeer(), good.haAddress(), good.virtualRouterId(), good.priority(), good.advertInterval(),
                            good.vip(), good.trackInterfaces(), Path.of(asPath), Optional.of(Path.of(asPath)));
                };
                text = KeepalivedRenderer.render(changed);
            } catch (KeepalivedConfigException refused) {
                continue;
            } catch (java.nio.file.InvalidPathException refused) {
                continue; // NUL: not even a path
            }
            assertGrammar(text);
        }
    }

    private static void assertGrammar(String text) {
        assertTrue(text.endsWith("}\n"), text);
        int depth = 0;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            assertTrue(GRAMMAR.stream().anyMatch(p -> p.matcher(line).matches()), "line outside the grammar: '" + line + "'");
            depth += line.endsWith(" {") ? 1 : line.strip().equals("}") ? -1 : 0;
            assertTrue(depth >= 0 && depth <= 2, "unbalanced braces at '" + line + "'");
        }
        assertEquals(0, depth, "unbalanced braces");
    }
}

package org.lbaas.driver.haproxy.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lbaas.driver.haproxy.internal.keepalived.HaPair;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.PersistenceType;
import org.lbaas.model.SessionPersistence;

/**
 * A peer set adds exactly {@code localpeer}, the {@code peers} section and the tables' {@code peers}
 * reference, and nothing else; without one the text is that of {@link HaproxyConfigRenderer#render(LoadBalancer,
 * org.lbaas.driver.haproxy.internal.InstanceFiles)} (which the golden files pin byte for byte).
 */
class HaproxyConfigRendererPeersTest {

    private static final PeerSet PEERS = GoldenCases.pairPeers(new HaPair(5), 0);

    @TestFactory
    Stream<DynamicTest> peersAddOnlyTheirLinesToEverySingleCase() {
        return GoldenCases.all().stream().filter(c -> c.peers().isEmpty()).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            HaproxyConfigRenderer r = new HaproxyConfigRenderer(c.settings());
            String single = r.render(c.lb(), RenderFixtures.files(c.lb()));
            assertEquals(single, r.build(c.lb(), RenderFixtures.files(c.lb())).render());
            String paired = r.render(c.lb(), RenderFixtures.files(c.lb()), PEERS);
            String section = "peers-" + c.lb().pool().id();
            String suffix = " peers " + section;
            List<String> stripped = new ArrayList<>();
            int tables = 0;
            for (String line : paired.split("\n", -1)) {
                if (line.equals("    localpeer instance-0")) {
                    continue;
                }
                if (line.startsWith("    stick-table ")) {
                    assertTrue(line.endsWith(suffix), line);
                    line = line.substring(0, line.length() - suffix.length());
                    tables++;
                }
                stripped.add(line);
            }
            String tail = "\npeers " + section + "\n    peer instance-0 169.254.192.41:1025\n    peer instance-1 169.254.192.42:1025\n";
            assertEquals(single + tail, String.join("\n", stripped));
            boolean table = c.lb().vip().orElseThrow().sessionPersistence().map(SessionPersistence::type)
                    .filter(t -> t != PersistenceType.HTTP_COOKIE).isPresent();
            assertEquals(table ? 1 : 0, tables, c.name());
        }));
    }

    @Test
    void thePeersSectionIsTheLastAndTheLocalPeerIsTheLastGlobalLine() {
        GoldenCases.Case c = GoldenCases.all().stream().filter(k -> k.name().equals("pair-source-ip-instance-1")).findFirst()
                .orElseThrow();
        HaproxyConfig config = new HaproxyConfigRenderer(c.settings()).build(c.lb(), RenderFixtures.files(c.lb()), c.peers());
        List<Section> sections = config.sections();
        assertEquals(List.of(Section.Type.GLOBAL, Section.Type.DEFAULTS, Section.Type.FRONTEND, Section.Type.BACKEND,
                Section.Type.PEERS), sections.stream().map(Section::type).toList());
        List<Directive> global = sections.get(0).directives();
        assertEquals("localpeer instance-1", global.get(global.size() - 1).toString());
    }
}

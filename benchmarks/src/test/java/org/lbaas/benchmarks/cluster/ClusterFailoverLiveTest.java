package org.lbaas.benchmarks.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lbaas.benchmarks.cluster.ClusterHarness.Part;

/**
 * The cluster benchmark's failover part at a tiny size (2 runs): real HAProxy (and keepalived for
 * pairs) in real namespaces, agents on one bridge, a real ZooKeeper. Every run's VIP answers again
 * after its agent's death, and nothing is left behind. No timing assertions.
 */
@Tag("live")
class ClusterFailoverLiveTest {

    @ParameterizedTest(name = "active/standby {0}")
    @ValueSource(booleans = {false, true})
    @DisplayName("two deaths of the serving agent: the VIP answers from another agent each time; nothing is left")
    void twoRuns(boolean pairs) {
        ClusterHarness.Options o = ClusterHarnessTest.tiny(EnumSet.of(Part.FAILOVER));
        o = new ClusterHarness.Options(o.parts(), o.count(), o.warmup(), o.agents(), o.clients(), null, 2, pairs, 3, o.sessionTimeout(),
                o.grace(), o.footprintCount(), false, o.timeLimit());
        ClusterHarness.Result r = ClusterHarness.run(o, System.out);
        assertEquals(List.of(), r.notes(), r::toMarkdown);
        assertEquals(List.of(), r.leftovers(), r::toMarkdown);
        String s = r.sections().get(0);
        Matcher m = Pattern.compile("\\| kill → first HTTP 200 through the VIP \\| ([0-9]+) ms \\| ([0-9]+) ms \\| ([0-9]+) ms \\| 2 \\|")
                .matcher(s);
        assertTrue(m.find(), "both runs answered: " + s);
        assertTrue(Long.parseLong(m.group(3)) < 60_000, s);
        assertTrue(Pattern.compile("\\| kill → the placement names another agent \\| [0-9]+ ms \\| [0-9]+ ms \\| [0-9]+ ms \\| 2 \\|")
                .matcher(s).find(), "the scheduler moved the dead agent's instance both times: " + s);
        assertTrue(!s.contains("- problem"), s);
    }
}

package org.lbaas.benchmarks.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.lbaas.benchmarks.failover.FailoverResult.Run;
import org.lbaas.benchmarks.failover.FailoverResult.Summary;

/** {@link FailoverResult}: the per-kind figures, the targets' PASS/MISS and the printed report. */
class FailoverResultTest {

    private static final List<String> PERSISTENCE = List.of("SOURCE_IP", "APP_COOKIE", "HTTP_COOKIE");

    private static Run run(FailureKind kind, int index, double ms, long failed, int kept, int checked) {
        return new Run(kind, index, PERSISTENCE.get((index - 1) % 3), ms, 1000, failed, kept, checked, true, true, Optional.empty());
    }

    /** 20 haproxy-kill runs of 210, 220, ... 400 ms; 20 link-cut runs of which one never served and one lost a client. */
    private static FailoverResult sample() {
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            runs.add(run(FailureKind.HAPROXY_KILL, i, 200 + 10 * i, i % 4, 4, 4));
        }
        for (int i = 1; i <= 20; i++) {
            double ms = i == 7 ? Double.POSITIVE_INFINITY : 900 + i;
            runs.add(run(FailureKind.LINK_CUT, i, ms, 1, i == 3 ? 3 : 4, 4));
        }
        runs.add(new Run(FailureKind.NETNS_DELETE, 1, "SOURCE_IP", 12, 500, 3, 4, 4, false, true, Optional.of("repair 1 failed: x")));
        return new FailoverResult(100, 4, 4, List.of(FailureKind.HAPROXY_KILL, FailureKind.LINK_CUT, FailureKind.NETNS_DELETE), runs,
                List.of(), List.of());
    }

    @Test
    @DisplayName("a kind's summary: median, nearest-rank p95, failed requests total and max, sticky clients by persistence")
    void summary() {
        Summary s = sample().summary(FailureKind.HAPROXY_KILL);
        assertEquals(20, s.runs());
        assertEquals(305.0, s.medianMs());
        assertEquals(390.0, s.p95Ms());
        assertEquals(400.0, s.maxMs());
        assertEquals(0, s.notServed());
        assertEquals(30, s.failedTotal());
        assertEquals(3, s.failedMax());
        assertEquals(80, s.stickyKept());
        assertEquals(80, s.stickyChecked());
        assertEquals(List.of("SOURCE_IP", "APP_COOKIE", "HTTP_COOKIE"), List.copyOf(s.stickyByPersistence().keySet()));
        assertEquals(28, s.stickyByPersistence().get("SOURCE_IP")[1]);
        assertEquals(Optional.of(true), s.medianPass());
        assertEquals(Optional.of(true), s.p95Pass());
        assertTrue(s.persistencePass());

        Summary l = sample().summary(FailureKind.LINK_CUT);
        assertEquals(1, l.notServed());
        assertEquals(Double.POSITIVE_INFINITY, l.maxMs(), "the run that never served is the slowest");
        assertEquals(920.0, l.p95Ms(), "the 19th of 20, below the one that never served");
        assertEquals(Optional.of(false), l.medianPass(), "median 911.5 ms misses 500 ms");
        assertEquals(Optional.of(true), l.p95Pass());
        assertEquals(79, l.stickyKept());
        assertEquals(98.75, l.stickyPercent(), 1e-9);
        assertTrue(!l.persistencePass());

        Summary n = sample().summary(FailureKind.NETNS_DELETE);
        assertEquals(Optional.empty(), n.medianPass(), "netns-delete has no time target");
        assertEquals(1, n.problems());
        assertEquals(0, sample().summary(FailureKind.KEEPALIVED_KILL).runs());
        assertTrue(!sample().summary(FailureKind.KEEPALIVED_KILL).persistencePass(), "nothing checked is no PASS");
    }

    @Test
    @DisplayName("the report prints each kind's row, PASS/MISS per target with the figure, problems and leftovers")
    void report() {
        String md = sample().toMarkdown();
        assertTrue(md.contains("advert interval 100 ms; 4 load client loops; 4 sticky clients per load balancer"), md);
        assertTrue(md.contains("| haproxy-kill | 20 | 305 | 390 | 400 | 30 | 3 | 80/80 (100.0 %) | 20/20 | 20/20 |"), md);
        assertTrue(md.contains("| link-cut | 20 | 912 | 920 | never | 20 | 1 | 79/80 (98.8 %) | 20/20 | 20/20 |"), md);
        assertTrue(md.contains("| haproxy-kill | PASS (305) | PASS (390) | PASS (100.0 %) |"), md);
        assertTrue(md.contains("| link-cut | MISS (912) | PASS (920) | MISS (98.8 %) |"), md);
        assertTrue(md.contains("| netns-delete | — (no target) | — (no target) | PASS (100.0 %) |"), md);
        assertTrue(md.contains("- link-cut: SOURCE_IP 28/28, APP_COOKIE 28/28, HTTP_COOKIE 23/24; the VIP did not serve within the bound"
                + " in 1 run(s)"), md);
        assertTrue(md.contains("- netns-delete #1 (SOURCE_IP): repair 1 failed: x"), md);
        assertTrue(md.endsWith("Left behind: nothing\n"), md);
        assertTrue(!md.contains("Harness errors"), md);

        String broken = new FailoverResult(100, 4, 4, List.of(FailureKind.HAPROXY_KILL), List.of(), List.of("run failed: boom"),
                List.of("lbtabcdefh")).toMarkdown();
        assertTrue(broken.contains("| haproxy-kill | 0 | — | — | — | 0 | 0 | 0/0 (—) | 0/0 | 0/0 |"), broken);
        assertTrue(broken.contains("Harness errors:\n- run failed: boom"), broken);
        assertTrue(broken.endsWith("Left behind: lbtabcdefh\n"), broken);
    }

    @Test
    @DisplayName("a run with more kept than checked sticky clients is refused")
    void badRun() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Run(FailureKind.LINK_CUT, 1, "SOURCE_IP", 1, 0, 0, 5, 4, true, true, Optional.empty()));
        assertTrue(e.getMessage().contains("kept 5 of 4"), e.getMessage());
    }

    @Test
    @DisplayName("failure kinds are named as on the command line, case-insensitively")
    void kinds() {
        assertEquals(Optional.of(FailureKind.LINK_CUT), FailureKind.of("Link-Cut"));
        assertEquals(Optional.empty(), FailureKind.of("power-cut"));
        assertEquals("haproxy-kill, link-cut, netns-delete, keepalived-kill", FailureKind.labels());
    }
}

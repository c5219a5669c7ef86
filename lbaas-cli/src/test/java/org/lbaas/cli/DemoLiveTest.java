package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code lbaas demo} for real, as CI runs it: what it shows, how long it takes, and that nothing is left. */
@Tag("live")
class DemoLiveTest {

    @Test
    @DisplayName("traffic spreads over three backends, the monitor takes the failing one out, and everything is removed")
    void demo() throws Exception {
        long start = System.nanoTime();
        CliRun r = CliRun.run("demo");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();

        Map<String, Integer> first = chart(out, "traffic: " + DemoCommand.REQUESTS + " requests from the client, no cookie:");
        assertEquals(List.of("web1", "web2", "web3"), List.copyOf(first.keySet()), out);
        first.forEach((b, n) -> assertTrue(n > 0, b + " got no request:\n" + out));
        assertEquals(DemoCommand.REQUESTS, first.values().stream().mapToInt(Integer::intValue).sum(), out);

        Matcher sticky = Pattern.compile("persistence: the first response went to (web\\d) and set the cookie \\S+=\\S+;\\n.*"
                + DemoCommand.STICKY_REQUESTS + " more requests with that cookie went to: (web\\d) " + DemoCommand.STICKY_REQUESTS + "\\n")
                .matcher(out);
        assertTrue(sticky.find(), out);
        assertEquals(sticky.group(1), sticky.group(2), out);

        assertTrue(Pattern.compile("the monitor marked web2 DOWN after \\d+\\.\\d s").matcher(out).find(), out);
        assertTrue(out.contains("member health: web1 UP, web2 DOWN, web3 UP"), out);
        Map<String, Integer> degraded = chart(out, "traffic: " + DemoCommand.REQUESTS + " requests while web2 is DOWN:");
        assertEquals(0, degraded.get("web2"), out);
        assertEquals(DemoCommand.REQUESTS, degraded.get("web1") + degraded.get("web3"), out);
        assertTrue(out.contains("the monitor marked web2 UP again"), out);
        Matcher total = Pattern.compile("\"total_connections\": (\\d+)").matcher(out);
        assertTrue(total.find() && Long.parseLong(total.group(1)) > 0, out);
        assertTrue(out.contains("nothing left behind"), out);
        assertTrue(seconds < 60, "the demo took " + seconds + " s");

        String prefix = LiveChecks.demoPrefix(out);
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, "q" + prefix), "lbaas-demo-"));
        assertEquals("", r.err());
    }

    /** The bar chart printed after a heading: backend name to count. */
    private static Map<String, Integer> chart(String out, String heading) {
        int at = out.indexOf(heading);
        assertTrue(at >= 0, "no '" + heading + "' in\n" + out);
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\G\\n {10}(\\S+)\\s+(\\d+)[ #]*").matcher(out);
        int from = out.indexOf('\n', at);
        while (m.find(from)) {
            counts.put(m.group(1), Integer.parseInt(m.group(2)));
            from = m.end();
        }
        return counts;
    }
}

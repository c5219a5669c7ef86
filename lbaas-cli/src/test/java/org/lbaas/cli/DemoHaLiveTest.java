package org.lbaas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code lbaas demo --ha} for real: a pair elected, a failover measured, the cookie kept, the repair, nothing left. */
@Tag("live")
class DemoHaLiveTest {

    @Test
    @DisplayName("the standby serves within a second of the kill, the cookie client stays, the repaired instance is STANDBY")
    void failover() {
        long start = System.nanoTime();
        CliRun r = CliRun.run("demo", "--ha");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        String prefix = LiveChecks.demoPrefix(out);

        String instance = "\\[ *[0-9.]+s\\]   instance   (q" + prefix + "-[0-9a-f-]{36}(?:-1)?)\\s+";
        Matcher elected = Pattern.compile("roles \\(VRRP elected a master; the VIP lives on the ACTIVE instance\\):\\n"
                + instance + "(ACTIVE|STANDBY) since \\S+  haproxy pid \\d+\\n" + instance + "(ACTIVE|STANDBY) since ").matcher(out);
        assertTrue(elected.find(), out);
        assertTrue(!elected.group(2).equals(elected.group(4)), "one ACTIVE, one STANDBY:\n" + out);
        String active = elected.group(2).equals("ACTIVE") ? elected.group(1) : elected.group(3);

        assertTrue(out.contains("failover: kill -9 "), out);
        assertTrue(out.contains("the HAProxy of the active instance " + active + " "), out);
        Matcher measured = Pattern.compile("the VIP answered again (\\d+) ms after the kill").matcher(out);
        assertTrue(measured.find(), out);
        assertTrue(Integer.parseInt(measured.group(1)) < 1000, "failover took " + measured.group(1) + " ms:\n" + out);
        Matcher sticky = Pattern.compile("persistence: the first response went to (web\\d) and set the cookie").matcher(out);
        assertTrue(sticky.find(), out);
        assertTrue(out.contains(DemoCommand.STICKY_REQUESTS + " requests with the cookie ") && out.contains("went to: "
                + sticky.group(1) + " " + DemoCommand.STICKY_REQUESTS + " (still " + sticky.group(1) + ": the session survived"),
                out);
        assertTrue(Pattern.compile("roles after the failover:\\n.*" + Pattern.quote(active) + "\\s+FAULT since ").matcher(out)
                .find(), out);
        Matcher repaired = Pattern.compile("roles after the repair:\\n(.*\\n.*\\n)").matcher(out);
        assertTrue(repaired.find(), out);
        assertTrue(Pattern.compile(Pattern.quote(active) + "\\s+STANDBY since \\S+  haproxy pid \\d+").matcher(repaired.group(1))
                .find(), "the killed instance came back as STANDBY:\n" + out);
        assertTrue(out.contains("the repaired instance rejoined as STANDBY"), out);
        assertTrue(out.contains("nothing left behind"), out);
        assertTrue(seconds < 60, "the demo took " + seconds + " s");
        assertEquals(List.of(), LiveChecks.leftovers(List.of(prefix, "q" + prefix), "lbaas-demo-"));
    }
}

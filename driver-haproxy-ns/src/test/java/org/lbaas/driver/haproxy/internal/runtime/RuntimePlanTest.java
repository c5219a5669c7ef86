package org.lbaas.driver.haproxy.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuntimePlanTest {

    static String cfg(String backendExtra, String... servers) {
        StringBuilder sb = new StringBuilder("global\n    stats socket /s mode 600 level admin\n\nfrontend f\n    bind 1.2.3.4:80\n    default_backend b\n\nbackend b\n    mode http\n");
        sb.append(backendExtra);
        for (String s : servers) {
            sb.append("    server ").append(s).append('\n');
        }
        return sb.toString();
    }

    private static List<String> commands(String before, String after) {
        return RuntimePlan.plan(before, after).orElseThrow().commands();
    }

    @Test
    void weightAndAdminStateChangesAreRuntimeCommands() {
        assertEquals(List.of("set weight b/m1 5"), commands(cfg("", "m1 10.0.0.1:80 weight 1"), cfg("", "m1 10.0.0.1:80 weight 5")));
        assertEquals(List.of("set server b/m1 state maint"),
                commands(cfg("", "m1 10.0.0.1:80 weight 1"), cfg("", "m1 10.0.0.1:80 weight 1 disabled")));
        assertEquals(List.of("set weight b/m1 2", "set server b/m1 state ready"),
                commands(cfg("", "m1 10.0.0.1:80 weight 1 disabled"), cfg("", "m1 10.0.0.1:80 weight 2")));
    }

    @Test
    void additionsComeFirstAndRemovalsLast() {
        RuntimePlan p = RuntimePlan.plan(cfg("", "m1 10.0.0.1:80 weight 1", "m2 10.0.0.2:80 weight 1"),
                cfg("", "m2 10.0.0.2:80 weight 3", "m3 10.0.0.3:80 weight 1 check inter 2s fall 3 rise 2")).orElseThrow();
        assertEquals(List.of("add server b/m3 10.0.0.3:80 weight 1 check inter 2s fall 3 rise 2", "enable health b/m3",
                "enable server b/m3", "set weight b/m2 3", "set server b/m1 state maint", "del server b/m1"), p.commands());
        assertEquals(List.of(RuntimePlan.ADDED, "", "", "", "", RuntimePlan.DELETED), p.expectations());
    }

    @Test
    void aDisabledNewServerIsAddedButNotEnabled() {
        assertEquals(List.of("add server b/m2 10.0.0.2:80 weight 1"),
                commands(cfg("", "m1 10.0.0.1:80 weight 1"), cfg("", "m1 10.0.0.1:80 weight 1", "m2 10.0.0.2:80 weight 1 disabled")));
    }

    @Test
    void whatTheRuntimeApiRefusesNeedsAReload() {
        // a new server with a cookie (HTTP_COOKIE persistence)
        assertEquals(Optional.empty(), RuntimePlan.plan(cfg("    cookie SRV insert indirect nocache\n", "m1 10.0.0.1:80 weight 1 cookie m1"),
                cfg("    cookie SRV insert indirect nocache\n", "m1 10.0.0.1:80 weight 1 cookie m1", "m2 10.0.0.2:80 weight 1 cookie m2")));
        // balance source without consistent hashing
        assertEquals(Optional.empty(), RuntimePlan.plan(cfg("    balance source\n", "m1 10.0.0.1:80 weight 1"),
                cfg("    balance source\n", "m1 10.0.0.1:80 weight 1", "m2 10.0.0.2:80 weight 1")));
        // with consistent hashing it works
        assertEquals(3, commands(cfg("    balance source\n    hash-type consistent\n", "m1 10.0.0.1:80 weight 1"),
                cfg("    balance source\n    hash-type consistent\n", "m1 10.0.0.1:80 weight 1", "m2 10.0.0.2:80 weight 1")).size() + 1);
        // anything but server lines
        assertEquals(Optional.empty(), RuntimePlan.plan(cfg("    balance roundrobin\n", "m1 10.0.0.1:80 weight 1"),
                cfg("    balance leastconn\n", "m1 10.0.0.1:80 weight 2")));
        // a changed address
        assertEquals(Optional.empty(), RuntimePlan.plan(cfg("", "m1 10.0.0.1:80 weight 1"), cfg("", "m1 10.0.0.9:80 weight 1")));
        // a keyword not known to work on dynamic servers
        assertEquals(Optional.empty(), RuntimePlan.plan(cfg("", "m1 10.0.0.1:80"), cfg("", "m1 10.0.0.1:80", "m2 10.0.0.2:80 track b/m1")));
    }

    @Test
    void identicalConfigurationsNeedNothing() {
        String c = cfg("", "m1 10.0.0.1:80 weight 1");
        assertEquals(List.of(), commands(c, c));
    }
}

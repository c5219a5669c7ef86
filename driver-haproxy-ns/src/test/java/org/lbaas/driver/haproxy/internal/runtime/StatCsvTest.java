package org.lbaas.driver.haproxy.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lbaas.model.MemberHealth;

class StatCsvTest {

    private static StatRow row(String status, String weight) {
        return new StatRow(Map.of("pxname", "b", "svname", "s", "status", status, "weight", weight));
    }

    @Test
    void statusMapsToHealth() {
        assertEquals(MemberHealth.UP, StatCsv.health(row("UP", "1")));
        assertEquals(MemberHealth.UP, StatCsv.health(row("UP 1/3", "1")));
        assertEquals(MemberHealth.DOWN, StatCsv.health(row("DOWN", "1")));
        assertEquals(MemberHealth.DOWN, StatCsv.health(row("DOWN 1/2", "1")));
        assertEquals(MemberHealth.MAINT, StatCsv.health(row("MAINT", "1")));
        assertEquals(MemberHealth.MAINT, StatCsv.health(row("MAINT (via b/x)", "1")));
        assertEquals(MemberHealth.DRAIN, StatCsv.health(row("DRAIN", "1")));
        assertEquals(MemberHealth.DRAIN, StatCsv.health(row("NOLB", "1")));
        assertEquals(MemberHealth.DRAIN, StatCsv.health(row("no check", "0")));
        assertEquals(MemberHealth.DRAIN, StatCsv.health(row("UP", "0")));
        assertEquals(MemberHealth.DOWN, StatCsv.health(row("DOWN", "0")));
        assertEquals(MemberHealth.NO_MONITOR, StatCsv.health(row("no check", "1")));
    }

    @Test
    void parsesRealOutputOfHaproxy26() {
        String csv = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,\n"
                + "be,m1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,\n"
                + "be,BACKEND,0,0,2,3,100,17,1024,2048,0,0,,0,0,0,0,UP,0,\n\n";
        List<StatRow> rows = StatCsv.parse(csv);
        assertEquals(2, rows.size());
        assertEquals(17, rows.get(1).counter("stot"));
        assertEquals(2048, rows.get(1).counter("bout"));
        assertEquals(0, rows.get(1).counter("no-such-column"));
        assertEquals(true, rows.get(1).isBackend());
        assertEquals(true, rows.get(0).isServer());
    }

    @Test
    void anErrorMessageIsNotStatistics() {
        assertThrows(IllegalArgumentException.class, () -> StatCsv.parse("Unknown command. Please enter one of the following commands only :\n"));
        assertThrows(IllegalArgumentException.class, () -> StatCsv.parse(""));
    }
}

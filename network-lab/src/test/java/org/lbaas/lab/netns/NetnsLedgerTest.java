package org.lbaas.lab.netns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.testkit.RecordingShellExecutor;

/** The ledger's batch lines, its removal in reverse order and its two helpers; nothing real runs. */
class NetnsLedgerTest {

    private final RecordingShellExecutor shell = new RecordingShellExecutor();
    private final NetnsLedger ledger = new NetnsLedger(shell, "lbtabc123", Duration.ofSeconds(7));

    @Test
    void prefixesAreLbtAndSixRandomCharacters() {
        String p = NetnsLedger.randomPrefix();
        assertTrue(p.matches("lbt[a-z0-9]{6}"), p);
        assertTrue(!p.equals(NetnsLedger.randomPrefix()), "two prefixes differ");
        assertEquals("lbtabc123", ledger.prefix());
    }

    @Test
    void recordedResourcesComeWithTheirBatchLinesAndGoInReverseOrder() {
        String script = ledger.bridge("lbtabc123h", " mcast_snooping 0") + ledger.namespace("lbtabc123-c")
                + ledger.veth("lbtabc123vc", "lbtabc123-c", "lbtabc123h");
        ledger.link("lbtabc123u0");
        assertEquals(List.of(
                "link add lbtabc123h type bridge nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 mcast_snooping 0",
                "link set lbtabc123h addrgenmode none",
                "link set lbtabc123h up",
                "netns add lbtabc123-c",
                "link add lbtabc123vc type veth peer name eth0 netns lbtabc123-c",
                "link set lbtabc123vc addrgenmode none master lbtabc123h up"), script.lines().toList());

        assertEquals(List.of(), ledger.removeAll("lab"));
        Command delete = shell.commands().get(0);
        assertEquals(List.of("ip", "-force", "-batch", "-"), delete.argv());
        assertEquals(Duration.ofSeconds(7), delete.timeout());
        assertEquals(List.of("link del lbtabc123u0", "link del lbtabc123vc", "netns del lbtabc123-c", "link del lbtabc123h"),
                delete.stdinText().lines().toList());
        shell.assertCommands().containsExactly("ip -force -batch -", "ip netns list", "ip -o link show");
    }

    @Test
    void whatStaysIsReportedWithTheLabsName() {
        ledger.link("lbtabc123h");
        shell.whenArgvStartsWith("ip", "-o", "link", "show").thenStdout("7: lbtabc123h: <BROADCAST> mtu 1500\n");
        List<RuntimeException> problems = ledger.removeAll("capacity topology");
        assertEquals(1, problems.size());
        assertEquals("capacity topology lbtabc123 left behind: [lbtabc123h]", problems.get(0).getMessage());
        shell.assertCommands().containsSubsequence("ip -force -batch -", "ip link del lbtabc123h", "ip -o link show");
    }

    @Test
    void nothingRecordedRunsNothing() {
        assertEquals(List.of(), ledger.removeAll("lab"));
        shell.assertCommands().isEmpty();
    }

    @Test
    void aCommandInANamespaceKeepsItsSettings() {
        Command c = Command.of("cat").withStdin("hello").withTimeout(Duration.ofSeconds(3));
        Command in = NetnsLedger.inNamespace("lbtabc123-c", c);
        assertEquals(List.of("ip", "netns", "exec", "lbtabc123-c", "cat"), in.argv());
        assertEquals(Duration.ofSeconds(3), in.timeout());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), in.stdinText().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFailedBuildClosesTheLabAndKeepsTheCleanupProblem() {
        IllegalStateException cleanup = new IllegalStateException("cleanup failed");
        int[] closed = {0};
        AutoCloseable lab = () -> {
            closed[0]++;
            throw cleanup;
        };
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetnsLedger.buildOrClose(lab, l -> {
            throw boom;
        }));
        assertSame(boom, e);
        assertEquals(1, closed[0]);
        assertSame(cleanup, e.getSuppressed()[0]);

        AutoCloseable fine = () -> closed[0]++;
        assertSame(fine, NetnsLedger.buildOrClose(fine, l -> { }));
        assertEquals(1, closed[0], "a built lab stays open");
    }

    @Test
    void theFirstProblemIsThrownWithTheOthersSuppressed() {
        NetnsLedger.throwIfAny(List.of());
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new IllegalStateException("second");
        RuntimeException e = assertThrows(RuntimeException.class, () -> NetnsLedger.throwIfAny(List.of(first, second)));
        assertSame(first, e);
        assertSame(second, e.getSuppressed()[0]);
    }
}

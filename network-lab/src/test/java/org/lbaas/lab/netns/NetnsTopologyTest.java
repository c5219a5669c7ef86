package org.lbaas.lab.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lbaas.testkit.CommandPattern.argvEquals;
import static org.lbaas.testkit.CommandPattern.argvStartsWith;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandFailedException;
import org.lbaas.testkit.RecordingShellExecutor;
import org.lbaas.testkit.Reply;

/** The commands a topology issues, checked with the recording executor; nothing real runs. */
class NetnsTopologyTest {

    private final RecordingShellExecutor shell = new RecordingShellExecutor();

    private static List<String> stdinLines(Command c) {
        return c.stdinText().lines().toList();
    }

    @Test
    void createIssuesOneRootBatchAndOneBatchPerNamespace() {
        try (NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a", "b").create()) {
            String p = t.namePrefix();
            assertTrue(p.matches("lbt[a-z0-9]{6}"), p);
            assertTrue(t.bridge().length() <= 15);
            t.hosts().values().forEach(h -> assertTrue(h.rootVeth().length() <= 15, h.rootVeth()));

            List<Command> commands = shell.commands();
            assertEquals(4, commands.size(), shell.assertCommands().describe());
            assertEquals(List.of("ip", "-batch", "-"), commands.get(0).argv());
            assertEquals(List.of(
                    "link add " + p + " type bridge nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0",
                    "link set " + p + " addrgenmode none",
                    "link set " + p + " up",
                    "netns add " + p + "-client",
                    "link add " + p + "v0 type veth peer name eth0 netns " + p + "-client",
                    "link set " + p + "v0 addrgenmode none master " + p + " up",
                    "netns add " + p + "-a",
                    "link add " + p + "v1 type veth peer name eth0 netns " + p + "-a",
                    "link set " + p + "v1 addrgenmode none master " + p + " up",
                    "netns add " + p + "-b",
                    "link add " + p + "v2 type veth peer name eth0 netns " + p + "-b",
                    "link set " + p + "v2 addrgenmode none master " + p + " up"), stdinLines(commands.get(0)));
            NetnsTopology.Host a = t.host("a");
            assertEquals(List.of("ip", "-n", p + "-a", "-batch", "-"), commands.get(2).argv());
            assertEquals(List.of(
                    "link set lo up",
                    "addr add " + a.ipv4().getHostAddress() + "/24 dev eth0",
                    "addr add " + NetnsTopology.format(a.ipv6()) + "/64 dev eth0 nodad",
                    "link set eth0 up"), stdinLines(commands.get(2)));
            shell.assertCommands().containsSubsequence(
                    argvEquals("ip", "-batch", "-"),
                    argvEquals("ip", "-n", p + "-client", "-batch", "-"),
                    argvEquals("ip", "-n", p + "-a", "-batch", "-"),
                    argvEquals("ip", "-n", p + "-b", "-batch", "-"));
            shell.reset();
        }
    }

    @Test
    void addressesComeFromTheBenchmarkingAndUniqueLocalRanges() {
        try (NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a", "b", "c").create()) {
            assertTrue(t.ipv4Subnet().matches("198\\.1[89]\\.\\d{1,3}\\.0/24"), t.ipv4Subnet());
            assertTrue(t.ipv6Subnet().startsWith("fd"), t.ipv6Subnet());
            assertTrue(t.ipv6Subnet().endsWith("::/64"), t.ipv6Subnet());
            String net = t.ipv4Subnet().substring(0, t.ipv4Subnet().lastIndexOf('.') + 1);
            assertEquals(net + "10", t.client().ipv4().getHostAddress());
            assertEquals(List.of(net + "11", net + "12", net + "13"),
                    t.backends().stream().map(h -> h.ipv4().getHostAddress()).toList());
            assertTrue(t.client().ipv4() instanceof Inet4Address);
            assertTrue(t.client().ipv6() instanceof Inet6Address);
            assertEquals(net + "1", t.ipv4Gateway().getHostAddress());
            assertEquals(net + "100", t.allocateIpv4().getHostAddress());
            assertEquals(net + "101", t.allocateIpv4().getHostAddress());
            assertTrue(t.allocateIpv6().getHostAddress().endsWith(":64"), "host part 100 = 0x64");
            assertEquals("http://" + net + "12:8080/health", t.backendUrl("b", "/health"));
            assertTrue(t.backendUrl6("b", "/").matches("http://\\[fd[0-9a-f:]+:c\\]:8080/"), t.backendUrl6("b", "/"));
        }
    }

    @Test
    void twoTopologiesNeverShareNames() {
        try (NetnsTopology one = NetnsTopology.builder().executor(shell).create();
                NetnsTopology two = NetnsTopology.builder().executor(shell).create()) {
            assertTrue(!one.namePrefix().equals(two.namePrefix()));
        }
    }

    @Test
    void closeDeletesInReverseOrderOfCreationThenChecksForLeftovers() {
        NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a").create();
        String p = t.namePrefix();
        shell.reset();
        t.close();
        List<Command> commands = shell.commands();
        assertEquals(List.of("ip", "-force", "-batch", "-"), commands.get(0).argv());
        assertEquals(List.of(
                "link del " + p + "v1",
                "netns del " + p + "-a",
                "link del " + p + "v0",
                "netns del " + p + "-client",
                "link del " + p), stdinLines(commands.get(0)));
        shell.assertCommands().containsExactly("ip -force -batch -", "ip netns list", "ip -o link show");

        shell.reset();
        t.close();
        shell.assertCommands().isEmpty();
    }

    @Test
    void aFailureInTheMiddleRemovesWhatWasCreatedInReverseOrder() {
        // Call 1 is the root batch, calls 2..4 configure client, a, b: fail the one for "a".
        shell.failNthCall(3, Reply.exit(2).withStderr("RTNETLINK answers: Invalid argument"));
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> NetnsTopology.builder().executor(shell).backends("a", "b").create());
        assertEquals(2, e.exitCode());
        String ns = e.argv().get(2);
        String p = ns.substring(0, ns.length() - "-a".length());
        assertEquals(List.of("ip", "-n", p + "-a", "-batch", "-"), e.argv());

        List<Command> commands = shell.commands();
        shell.assertCommands()
                .hasNoCommandMatching(argvEquals("ip", "-n", p + "-b", "-batch", "-"))
                .containsSubsequence("ip -batch -", "ip -n " + p + "-client -batch -", "ip -n " + p + "-a -batch -",
                        "ip -force -batch -", "ip netns list", "ip -o link show");
        assertEquals(List.of(
                "link del " + p + "v2",
                "netns del " + p + "-b",
                "link del " + p + "v1",
                "netns del " + p + "-a",
                "link del " + p + "v0",
                "netns del " + p + "-client",
                "link del " + p), stdinLines(commands.get(3)));
    }

    @Test
    void aFailedRootBatchStillCleansUpWhateverItMayHaveCreated() {
        shell.failNthCall(1);
        assertThrows(CommandFailedException.class, () -> NetnsTopology.builder().executor(shell).backends("a").create());
        shell.assertCommands().containsExactly("ip -batch -", "ip -force -batch -", "ip netns list", "ip -o link show");
    }

    @Test
    void leftoversAreRetriedOneByOneAndReportedIfTheyStay() {
        NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a").create();
        String p = t.namePrefix();
        shell.whenArgvStartsWith("ip", "netns", "list").thenStdout(p + "-a (id: 3)\nother-ns\n");
        shell.whenArgvStartsWith("ip", "-o", "link", "show").thenStdout(
                "1: lo: <LOOPBACK,UP> mtu 65536 qdisc noqueue\n"
                        + "7: " + p + "v1@if2: <BROADCAST,MULTICAST> mtu 1500\n");
        shell.reset();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::close);
        assertEquals("topology " + p + " left behind: [" + p + "-a, " + p + "v1]", e.getMessage());
        shell.assertCommands()
                .containsSubsequence("ip -force -batch -", "ip netns list", "ip -o link show",
                        "ip link del " + p + "v1", "ip netns del " + p + "-a", "ip netns list", "ip -o link show")
                .count(argvStartsWith("ip", "link", "del")).isEqualTo(1);
    }

    @Test
    void execAndHttpGetRunInsideTheHostsNamespace() {
        shell.whenArgvMatches(" curl ").thenStdout(
                "HTTP/1.1 200 OK\r\nX-Backend: a\r\nSet-Cookie: A=1\r\nSet-Cookie: B=2\r\nContent-Length: 2\r\n\r\na\n");
        try (NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a").create()) {
            String p = t.namePrefix();
            t.exec("a", "ip", "addr");
            NetnsTopology.HttpResponse r = t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/"), Map.of("Cookie", "A=1"));
            assertEquals(200, r.status());
            assertEquals("a\n", r.body());
            assertEquals(List.of("A=1", "B=2"), r.headers("set-cookie"));
            assertEquals("a", r.header("X-BACKEND").orElseThrow());
            shell.assertCommands().containsSubsequence(
                    "ip netns exec " + p + "-a ip addr",
                    "ip netns exec " + p + "-client curl --silent --show-error --include --globoff --noproxy * --max-time 10"
                            + " --header Cookie: A=1 -- " + t.backendUrl("a", "/"));
            assertThrows(IllegalArgumentException.class, () -> t.exec("nosuchhost", "true"));
            assertThrows(IllegalArgumentException.class, () -> t.startBackend(NetnsTopology.CLIENT));
        }
    }

    @Test
    void aCurlFailureIsACommandFailure() {
        shell.whenArgvMatches(" curl ").thenExit(7).thenStderr("curl: (7) Failed to connect");
        try (NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a").create()) {
            CommandFailedException e = assertThrows(CommandFailedException.class,
                    () -> t.httpGet(NetnsTopology.CLIENT, t.backendUrl("a", "/")));
            assertEquals(7, e.exitCode());
        }
    }

    @Test
    void responsesAfterAnInterimResponseAreParsed() {
        NetnsTopology.HttpResponse r = NetnsTopology.parseResponse(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\nX-Backend: b\r\n\r\nunhealthy\n");
        assertEquals(503, r.status());
        assertEquals("unhealthy\n", r.body());
        assertThrows(IllegalArgumentException.class, () -> NetnsTopology.parseResponse("garbage"));
    }

    @Test
    void ipv6AddressesAreFormattedInTheirShortestForm() throws Exception {
        assertEquals("::", NetnsTopology.format(InetAddress.getByName("0:0:0:0:0:0:0:0")));
        assertEquals("::1", NetnsTopology.format(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertEquals("fd00::", NetnsTopology.format(InetAddress.getByName("fd00:0:0:0:0:0:0:0")));
        assertEquals("fd12:3456:789a:1::b", NetnsTopology.format(InetAddress.getByName("fd12:3456:789a:1:0:0:0:b")));
        assertEquals("1:0:0:2::3", NetnsTopology.format(InetAddress.getByName("1:0:0:2:0:0:0:3")));
        assertEquals("1::2:0:0:3", NetnsTopology.format(InetAddress.getByName("1:0:0:0:2:0:0:3")));
        assertEquals("1:0:2:3:4:5:6:7", NetnsTopology.format(InetAddress.getByName("1:0:2:3:4:5:6:7")));
        assertEquals("198.18.0.1", NetnsTopology.format(InetAddress.getByName("198.18.0.1")));
    }

    @Test
    void hostNamesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder().backends("Upper"));
        assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder().backends("client"));
        assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder().backends("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder().backends("waytoolongname"));
        assertThrows(IllegalArgumentException.class, () -> NetnsTopology.builder().backends("a;b"));
    }

    @Test
    void hostLookupReturnsTheSameHost() {
        try (NetnsTopology t = NetnsTopology.builder().executor(shell).backends("a").create()) {
            assertSame(t.host("a"), t.backends().get(0));
            assertEquals(NetnsTopology.CLIENT, t.client().name());
            assertEquals(List.of(NetnsTopology.CLIENT, "a"), List.copyOf(t.hosts().keySet()));
        }
    }
}

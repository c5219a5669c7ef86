package org.lbaas.driver.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.lbaas.driver.spi.shell.Command;
import org.lbaas.driver.spi.shell.CommandResult;
import org.lbaas.lab.netns.NetnsTopology;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.SessionPersistence;

/**
 * Session persistence across a failover of a pair (SIGKILL of the active HAProxy), with clients
 * each stuck to a different member of {@code a b c} before the failover, so that no client can
 * land on its member after it by the standby's own choice: SOURCE_IP (three client addresses) and
 * APP_COOKIE (three application cookie values) through the stick table the peers replicate (read
 * on the standby's socket before the failover), HTTP_COOKIE through the cookie HAProxy inserts
 * (the member id: no table).
 */
class ActiveStandbyPersistenceLiveTest extends PairLiveTest {

    /** A client: how its requests are told apart (a source address or a cookie). */
    private record Client(Optional<String> source, Optional<String> cookie) {
        @Override
        public String toString() {
            return source.map(s -> "source " + s).orElse("") + cookie.map(c -> "cookie " + c).orElse("");
        }
    }

    /** One answer: the backend that served and the cookie HAProxy or the backend set, if any. */
    private record Answer(String backend, Optional<String> setCookie) {
    }

    private Answer get(LoadBalancer lb, String path, Client client) {
        List<String> argv = new ArrayList<>(List.of("curl", "-s", "--noproxy", "*", "--max-time", "2", "-D", "-", "-o", "/dev/null"));
        client.source().ifPresent(s -> argv.addAll(List.of("--interface", s)));
        client.cookie().ifPresent(c -> argv.addAll(List.of("-H", "Cookie: " + c)));
        argv.add(env.url(lb, path));
        CommandResult r = env.topology.exec(NetnsTopology.CLIENT, Command.of(argv).withTimeout(Duration.ofSeconds(10)));
        String backend = "";
        Optional<String> setCookie = Optional.empty();
        for (String line : r.stdout().split("\r?\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-backend:")) {
                backend = line.substring(line.indexOf(':') + 1).strip();
            } else if (lower.startsWith("set-cookie:")) {
                String v = line.substring(line.indexOf(':') + 1).strip();
                setCookie = Optional.of(v.substring(0, v.indexOf(';') < 0 ? v.length() : v.indexOf(';')));
            }
        }
        if (backend.isEmpty()) {
            throw new AssertionError("no answer from " + client + " (exit " + r.exitCode() + "): " + r.stdout() + r.stderr());
        }
        return new Answer(backend, setCookie);
    }

    /** The backends {@code n} requests of a client reached, in order. */
    private List<String> backends(LoadBalancer lb, Client client, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(get(lb, "/r", client).backend());
        }
        return out;
    }

    /**
     * Checks that each client is on its member, fails the active over, and checks that each client
     * is still on its member, served by the former standby.
     */
    private void keepsMembersAcrossFailover(LoadBalancer lb, Map<Client, String> members) throws Exception {
        assertEquals(Set.of("a", "b", "c"), new TreeSet<>(members.values()), "one client per member: " + members);
        for (Map.Entry<Client, String> e : members.entrySet()) {
            assertEquals(List.of(e.getValue(), e.getValue(), e.getValue()), backends(lb, e.getKey(), 3), "before: " + e.getKey());
        }
        int active = activeOrdinal(lb);
        long t0 = System.nanoTime();
        kill("-KILL", haproxyPid(lb, active));
        double ms = untilServed(lb, t0);
        String kind = lb.vip().orElseThrow().sessionPersistence().orElseThrow().type().name();
        System.out.printf("MEASURED %s pair: active HAProxy SIGKILL to first served request: %.0f ms%n", kind, ms);
        assertTrue(ms < 1000, "failover took " + ms + " ms");
        assertEquals(1 - active, activeOrdinal(lb));
        int kept = 0;
        for (Map.Entry<Client, String> e : members.entrySet()) {
            List<String> after = backends(lb, e.getKey(), 5);
            assertEquals(List.of(e.getValue(), e.getValue(), e.getValue(), e.getValue(), e.getValue()), after, "after: " + e.getKey());
            kept++;
        }
        System.out.printf("MEASURED %s pair: %d of %d sticky clients kept their member across the failover%n", kind, kept, members.size());
    }

    /** Waits until the standby's stick table holds every key (replicated by the peers). */
    private void awaitReplicated(LoadBalancer lb, List<String> keys) throws InterruptedException {
        int standby = 1 - activeOrdinal(lb);
        await("the standby's stick table to hold " + keys, Duration.ofSeconds(5), () -> {
            try {
                String table = socket(lb, standby, "show table " + lb.id());
                return keys.stream().allMatch(k -> table.contains("key=" + k + " "));
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void sourceIpClientsKeepTheirMemberAcrossAFailover() throws Exception {
        LoadBalancer lb = deploy(Lbs.persistence(pairLb(), SessionPersistence.sourceIp()));
        String clientNs = env.topology.client().namespace();
        Map<Client, String> members = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            InetAddress source = env.topology.allocateIpv4();
            CommandResult added = org.lbaas.driver.spi.shell.ShellExecutor.system()
                    .execute(Command.of("ip", "-n", clientNs, "addr", "add", source.getHostAddress() + "/32", "dev", "eth0"));
            assertEquals(0, added.exitCode(), added.stderr());
            Client client = new Client(Optional.of(source.getHostAddress()), Optional.empty());
            members.put(client, get(lb, "/r", client).backend());
            keys.add("::ffff:" + source.getHostAddress());
        }
        awaitReplicated(lb, keys);
        keepsMembersAcrossFailover(lb, members);
    }

    @Test
    void appCookieClientsKeepTheirMemberAcrossAFailover() throws Exception {
        LoadBalancer lb = deploy(Lbs.persistence(pairLb(), SessionPersistence.appCookie("APPSESS")));
        Map<Client, String> members = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        Client fresh = new Client(Optional.empty(), Optional.empty());
        for (int i = 0; i < 3; i++) {
            // the application sets its cookie; HAProxy learns value -> member from the response
            Answer a = get(lb, "/setcookie?name=APPSESS", fresh);
            String cookie = a.setCookie().orElseThrow(() -> new AssertionError("the backend set no cookie"));
            assertTrue(cookie.startsWith("APPSESS=" + a.backend() + "-"), cookie);
            members.put(new Client(Optional.empty(), Optional.of(cookie)), a.backend());
            keys.add(cookie.substring("APPSESS=".length()));
        }
        awaitReplicated(lb, keys);
        keepsMembersAcrossFailover(lb, members);
    }

    @Test
    void httpCookieClientsKeepTheirMemberAcrossAFailover() throws Exception {
        LoadBalancer lb = deploy(Lbs.persistence(pairLb(), SessionPersistence.httpCookie()));
        Map<Client, String> members = new LinkedHashMap<>();
        Client fresh = new Client(Optional.empty(), Optional.empty());
        for (int i = 0; i < 3; i++) {
            // HAProxy inserts SRV=<member id> on the first answer of a client without it
            Answer a = get(lb, "/r", fresh);
            String cookie = a.setCookie().orElseThrow(() -> new AssertionError("HAProxy inserted no cookie"));
            assertTrue(cookie.startsWith("SRV="), cookie);
            members.put(new Client(Optional.empty(), Optional.of(cookie)), a.backend());
        }
        keepsMembersAcrossFailover(lb, members);
    }
}

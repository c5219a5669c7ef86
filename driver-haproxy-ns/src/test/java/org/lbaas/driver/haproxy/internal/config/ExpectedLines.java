package org.lbaas.driver.haproxy.internal.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.lbaas.driver.haproxy.internal.InstanceFiles;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.MonitorType;
import org.lbaas.model.SessionPersistence;
import org.lbaas.model.Vip;

/**
 * A test-side oracle: the words HAProxy must read from each line of the configuration of a load
 * balancer, written from the documented mapping with plain (unescaped) strings, independently of
 * the emitter. {@link #decode(String)} reads rendered text back with {@link Haproxy26LineModel}
 * into the same normal form, so comparing the two proves that the text holds exactly the expected
 * sections, lines and arguments with exactly the model's values, whatever characters they contain.
 *
 * <p>Normal form: one list of words per non-empty line; a sample fetch word {@code f("a")} becomes
 * {@code f|a} (its arguments decoded by the second-level parser); the argument of
 * {@code http-check expect status|rstatus} becomes {@code codes:<ascending codes>}.
 */
final class ExpectedLines {

    private static final Pattern STATUS_ITEM = Pattern.compile("([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?");
    private static final Pattern RSTATUS = Pattern.compile("\\^\\(([0-9|]+)\\)\\$");

    private ExpectedLines() {
    }

    static List<List<String>> of(LoadBalancer lb, RenderSettings s, InstanceFiles files) {
        Vip vip = lb.vip().orElseThrow();
        boolean http = vip.protocol().isHttp();
        boolean logging = s.logTarget().isPresent();
        String mode = http ? "http" : "tcp";
        int cap = (int) Math.min(Integer.MAX_VALUE, (s.openFilesLimit() - 64 - 3L * s.nbthread() - s.maxServers() - 2) / 2);
        int fe = vip.connectionLimit() == -1 ? Math.min(s.defaultMaxconn(), cap - 16) : Math.max(1, vip.connectionLimit());
        int global = (int) Math.min(fe + 16L, cap);
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("global"));
        out.add(List.of("user", s.user()));
        out.add(List.of("group", s.group()));
        out.add(List.of("nbthread", Integer.toString(s.nbthread())));
        out.add(List.of("maxconn", Integer.toString(global)));
        out.add(List.of("stats", "socket", files.socket().toString(), "mode", "600", "level", "admin", "expose-fd", "listeners"));
        out.add(List.of("stats", "timeout", "30s"));
        out.add(List.of("hard-stop-after", seconds(s.hardStopAfter().toMillis())));
        if (logging) {
            List<String> log = new ArrayList<>(List.of("log"));
            log.addAll(logWords(s.logTarget().get()));
            log.add("local0");
            out.add(log);
        }
        out.add(List.of("defaults"));
        if (logging) {
            out.add(List.of("log", "global"));
        }
        out.add(List.of("timeout", "connect", seconds(s.timeoutConnect().toMillis())));
        out.add(List.of("timeout", "client", seconds(s.timeoutClient().toMillis())));
        out.add(List.of("timeout", "server", seconds(s.timeoutServer().toMillis())));
        out.add(List.of("retries", "3"));
        out.add(List.of("option", "redispatch"));
        String backend = lb.pool().id().toString();
        out.add(List.of("frontend", vip.id().toString()));
        out.add(List.of("bind", endpoint(vip.address(), vip.protocolPort())));
        out.add(List.of("mode", mode));
        out.add(List.of("maxconn", Integer.toString(fe)));
        if (vip.connectionLimit() == 0) {
            out.add(List.of("tcp-request", "connection", "reject"));
        }
        if (http) {
            out.add(List.of("option", "forwardfor"));
            out.add(List.of("option", "idle-close-on-response"));
        }
        if (logging) {
            out.add(List.of("option", http ? "httplog" : "tcplog"));
        }
        out.add(List.of("default_backend", backend));
        out.add(List.of("backend", backend));
        out.add(List.of("mode", mode));
        switch (lb.pool().lbMethod()) {
            case ROUND_ROBIN -> out.add(List.of("balance", "roundrobin"));
            case LEAST_CONNECTIONS -> out.add(List.of("balance", "leastconn"));
            case SOURCE_IP -> {
                out.add(List.of("balance", "source"));
                out.add(List.of("hash-type", "consistent"));
            }
        }
        if (!lb.pool().adminStateUp()) {
            out.add(List.of("disabled"));
        }
        String size = Integer.toString(s.stickTableSize());
        String expire = seconds(s.stickTableExpire().toMillis());
        boolean cookies = false;
        if (vip.sessionPersistence().isPresent()) {
            SessionPersistence sp = vip.sessionPersistence().get();
            switch (sp.type()) {
                case SOURCE_IP -> {
                    out.add(List.of("stick-table", "type", "ipv6", "size", size, "expire", expire));
                    out.add(List.of("stick", "on", "src"));
                }
                case HTTP_COOKIE -> {
                    out.add(List.of("cookie", "SRV", "insert", "indirect", "nocache"));
                    cookies = true;
                }
                case APP_COOKIE -> {
                    String name = sp.cookieName().orElseThrow();
                    out.add(List.of("stick-table", "type", "string", "len", "64", "size", size, "expire", expire));
                    out.add(List.of("stick", "store-response", "res.cook|" + name));
                    out.add(List.of("stick", "match", "req.cook|" + name));
                }
            }
        }
        List<HealthMonitor> active = lb.healthMonitors().stream().filter(HealthMonitor::adminStateUp)
                .sorted(Comparator.comparing(m -> m.id().toString())).toList();
        boolean tls = active.stream().anyMatch(m -> m.type() == MonitorType.HTTPS);
        String inter = null;
        String fall = null;
        if (!active.isEmpty()) {
            long timeout = Math.max(1, active.stream().mapToInt(HealthMonitor::timeout).min().orElseThrow());
            long delay = Math.max(1, active.stream().mapToInt(HealthMonitor::delay).min().orElseThrow());
            inter = delay + "s";
            fall = Integer.toString(active.stream().mapToInt(HealthMonitor::maxRetries).min().orElseThrow());
            out.add(List.of("timeout", "connect", seconds(Math.min(s.timeoutConnect().toMillis(), timeout * 1000))));
            out.add(List.of("timeout", "check", timeout + "s"));
            if (active.stream().anyMatch(m -> m.type().isHttp())) {
                out.add(List.of("option", "httpchk"));
            }
            for (HealthMonitor m : active) {
                if (!m.type().isHttp()) {
                    continue;
                }
                HttpCheck hc = m.httpCheck().orElseThrow();
                out.add(m.type() == MonitorType.HTTPS ? List.of("http-check", "connect", "ssl") : List.of("http-check", "connect"));
                out.add(List.of("http-check", "send", "meth", hc.method().name(), "uri", hc.urlPath(), "ver", "HTTP/1.1", "hdr",
                        "Host", s.checkHost().replace("%", "%%")));
                out.add(List.of("http-check", "expect", "codes:" + hc.expectedCodes().codes()));
            }
        }
        for (Member m : lb.members()) {
            List<String> line = new ArrayList<>(List.of("server", m.id().toString(), endpoint(m.address(), m.protocolPort()),
                    "weight", Integer.toString(m.weight())));
            if (cookies) {
                line.addAll(List.of("cookie", m.id().toString()));
            }
            if (inter != null) {
                line.addAll(List.of("check", "inter", inter, "fall", fall, "rise", "2"));
                if (tls) {
                    line.addAll(List.of("check-ssl", "verify", "none"));
                }
            }
            if (!m.adminStateUp()) {
                line.add("disabled");
            }
            out.add(line);
        }
        return out;
    }

    /** Reads rendered text back into the normal form. */
    static List<List<String>> decode(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            List<String> words = new ArrayList<>(Haproxy26LineModel.words(line));
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.startsWith("res.cook(") || w.startsWith("req.cook(")) {
                    words.set(i, String.join("|", Haproxy26LineModel.fetch(w)));
                }
            }
            if (words.size() == 4 && words.get(0).equals("http-check") && words.get(1).equals("expect")) {
                String kind = words.get(2);
                String spec = words.get(3);
                words = new ArrayList<>(List.of("http-check", "expect", "codes:" + (kind.equals("status") ? expand(spec) : fromRegex(spec))));
            }
            out.add(words);
        }
        return out;
    }

    private static List<Integer> expand(String spec) {
        List<Integer> codes = new ArrayList<>();
        for (String item : spec.split(",", -1)) {
            Matcher m = STATUS_ITEM.matcher(item);
            if (!m.matches()) {
                throw new AssertionError("bad status item " + item + " in " + spec);
            }
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            for (int c = lo; c <= hi; c++) {
                codes.add(c);
            }
        }
        List<Integer> sorted = codes.stream().sorted().distinct().collect(Collectors.toList());
        if (!sorted.equals(codes)) {
            throw new AssertionError("status items not ascending and distinct: " + spec);
        }
        return codes;
    }

    private static List<Integer> fromRegex(String regex) {
        Matcher m = RSTATUS.matcher(regex);
        if (!m.matches()) {
            throw new AssertionError("unexpected rstatus regex " + regex);
        }
        List<Integer> codes = new ArrayList<>();
        for (String c : m.group(1).split("\\|", -1)) {
            codes.add(Integer.parseInt(c));
        }
        return codes;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    private static String endpoint(java.net.InetAddress a, int port) {
        String text = IpAddresses.toText(a);
        return a instanceof java.net.Inet6Address ? "[" + text + "]:" + port : text + ":" + port;
    }

    private static List<String> logWords(String target) {
        if (target.equals("stdout") || target.equals("stderr")) {
            return List.of(target, "format", "raw");
        }
        if (target.startsWith("/")) {
            return List.of(target);
        }
        if (target.startsWith("[")) {
            return List.of(target.contains("]:") ? target : target + ":514");
        }
        return List.of(target.contains(":") ? target : target + ":514");
    }
}

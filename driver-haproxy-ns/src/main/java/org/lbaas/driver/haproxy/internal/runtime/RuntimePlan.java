package org.lbaas.driver.haproxy.internal.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The runtime API commands that turn a running configuration into a desired one without a
 * reload, when that is possible.
 *
 * <p>It is possible when the two texts differ only in {@code server} lines of backends (added,
 * removed, or changed only in {@code weight} and {@code disabled}), every added server uses only
 * keywords HAProxy 2.6 accepts for dynamic servers (so not {@code cookie}: HTTP_COOKIE members
 * need a reload), and every backend with added servers balances dynamically ({@code static-rr}
 * and map-based hashing without {@code hash-type consistent} refuse {@code add server}).
 *
 * <p>Order: additions first (so capacity exists before anything leaves), then weight and state
 * changes, then removals ({@code set server B/S state maint} then {@code del server B/S}).
 *
 * @param commands the runtime commands in order
 * @param expectations for each command, the answer that means success ("" for a silent success)
 */
public record RuntimePlan(List<String> commands, List<String> expectations) {

    /** Keywords {@code add server} accepts on 2.6 (subset the renderers use), with whether they take a value. */
    static final Map<String, Boolean> DYNAMIC_KEYWORDS = Map.ofEntries(
            Map.entry("weight", true), Map.entry("check", false), Map.entry("inter", true),
            Map.entry("fastinter", true), Map.entry("downinter", true), Map.entry("fall", true),
            Map.entry("rise", true), Map.entry("maxconn", true), Map.entry("maxqueue", true),
            Map.entry("minconn", true), Map.entry("disabled", false), Map.entry("check-ssl", false),
            Map.entry("ssl", false), Map.entry("verify", true), Map.entry("sni", true),
            Map.entry("check-sni", true), Map.entry("slowstart", true), Map.entry("port", true),
            Map.entry("observe", true), Map.entry("error-limit", true), Map.entry("on-error", true),
            Map.entry("on-marked-down", true), Map.entry("on-marked-up", true));

    private static final Set<String> CONSISTENT_OR_DYNAMIC = Set.of("roundrobin", "leastconn", "first", "random");

    /** Answer of a successful {@code add server}. */
    public static final String ADDED = "New server registered.";
    /** Answer of a successful {@code del server}. */
    public static final String DELETED = "Server deleted.";

    public RuntimePlan {
        commands = List.copyOf(Objects.requireNonNull(commands, "commands"));
        expectations = List.copyOf(Objects.requireNonNull(expectations, "expectations"));
        if (commands.size() != expectations.size()) {
            throw new IllegalArgumentException("one expectation per command");
        }
    }

    /** Returns whether there is nothing to do. */
    public boolean isEmpty() {
        return commands.isEmpty();
    }

    /**
     * Plans the runtime commands from {@code running} to {@code desired}.
     *
     * @param running the configuration the process runs
     * @param desired the configuration it should run
     * @return the plan, or empty when a reload is needed
     */
    public static Optional<RuntimePlan> plan(String running, String desired) {
        List<Section> before = Section.parse(running);
        List<Section> after = Section.parse(desired);
        if (before.size() != after.size()) {
            return Optional.empty();
        }
        List<String> adds = new ArrayList<>();
        List<String> addExpect = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        List<String> removeExpect = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            Section b = before.get(i);
            Section a = after.get(i);
            if (!b.header().equals(a.header()) || !b.otherLines().equals(a.otherLines())) {
                return Optional.empty();
            }
            if (b.servers().equals(a.servers())) {
                continue;
            }
            if (!b.isBackend()) {
                return Optional.empty();
            }
            String backend = b.name();
            for (Map.Entry<String, List<String>> e : a.servers().entrySet()) {
                String server = e.getKey();
                List<String> newTokens = e.getValue();
                List<String> oldTokens = b.servers().get(server);
                String ref = backend + "/" + server;
                if (oldTokens == null) {
                    if (!b.acceptsDynamicServers() || !addable(newTokens)) {
                        return Optional.empty();
                    }
                    List<String> args = new ArrayList<>(newTokens.subList(2, newTokens.size()));
                    boolean disabled = args.remove("disabled");
                    adds.add("add server " + ref + " " + String.join(" ", args));
                    addExpect.add(ADDED);
                    if (args.contains("check")) {
                        adds.add("enable health " + ref);
                        addExpect.add("");
                    }
                    if (!disabled) {
                        adds.add("enable server " + ref);
                        addExpect.add("");
                    }
                    continue;
                }
                if (oldTokens.equals(newTokens)) {
                    continue;
                }
                if (!withoutMutable(oldTokens).equals(withoutMutable(newTokens))) {
                    return Optional.empty();
                }
                String oldWeight = value(oldTokens, "weight").orElse("1");
                String newWeight = value(newTokens, "weight").orElse("1");
                boolean wasDisabled = oldTokens.contains("disabled");
                boolean isDisabled = newTokens.contains("disabled");
                if (isDisabled && !wasDisabled) {
                    changes.add("set server " + ref + " state maint");
                }
                if (!oldWeight.equals(newWeight)) {
                    changes.add("set weight " + ref + " " + newWeight);
                }
                if (wasDisabled && !isDisabled) {
                    changes.add("set server " + ref + " state ready");
                }
            }
            for (String server : b.servers().keySet()) {
                if (!a.servers().containsKey(server)) {
                    String ref = backend + "/" + server;
                    removes.add("set server " + ref + " state maint");
                    removeExpect.add("");
                    removes.add("del server " + ref);
                    removeExpect.add(DELETED);
                }
            }
        }
        List<String> commands = new ArrayList<>(adds);
        List<String> expect = new ArrayList<>(addExpect);
        commands.addAll(changes);
        changes.forEach(c -> expect.add(""));
        commands.addAll(removes);
        expect.addAll(removeExpect);
        return Optional.of(new RuntimePlan(commands, expect));
    }

    private static boolean addable(List<String> tokens) {
        for (int i = 3; i < tokens.size(); i++) {
            Boolean takesValue = DYNAMIC_KEYWORDS.get(tokens.get(i));
            if (takesValue == null) {
                return false;
            }
            if (takesValue) {
                i++;
            }
        }
        return tokens.size() >= 3;
    }

    private static List<String> withoutMutable(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("weight") && i + 1 < tokens.size()) {
                i++;
                continue;
            }
            if (t.equals("disabled")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private static Optional<String> value(List<String> tokens, String keyword) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).equals(keyword)) {
                return Optional.of(tokens.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /** A section of a configuration: its header line, its server lines by name, the rest in order. */
    record Section(String header, Map<String, List<String>> servers, List<String> otherLines) {

        static List<Section> parse(String text) {
            List<Section> out = new ArrayList<>();
            String header = "";
            Map<String, List<String>> servers = new LinkedHashMap<>();
            List<String> other = new ArrayList<>();
            for (String raw : text.split("\n", -1)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean indented = Character.isWhitespace(raw.charAt(0));
                if (!indented) {
                    out.add(new Section(header, servers, other));
                    header = line;
                    servers = new LinkedHashMap<>();
                    other = new ArrayList<>();
                    continue;
                }
                List<String> tokens = List.of(line.split("\\s+"));
                boolean plain = line.indexOf('"') < 0 && line.indexOf('\'') < 0 && line.indexOf('\\') < 0;
                if (tokens.get(0).equals("server") && tokens.size() >= 3 && plain && !servers.containsKey(tokens.get(1))) {
                    servers.put(tokens.get(1), tokens);
                } else {
                    other.add(line);
                }
            }
            out.add(new Section(header, servers, other));
            return out;
        }

        boolean isBackend() {
            return header.startsWith("backend ") || header.startsWith("listen ");
        }

        String name() {
            String[] f = header.split("\\s+");
            return f.length > 1 ? f[1] : "";
        }

        /** Whether {@code add server} works here: dynamic balancing or consistent hashing. */
        boolean acceptsDynamicServers() {
            String algorithm = "roundrobin";
            boolean consistent = false;
            for (String l : otherLines) {
                String[] f = l.split("\\s+");
                if (f[0].equals("balance") && f.length > 1) {
                    algorithm = f[1];
                }
                if (f[0].equals("hash-type") && f.length > 1 && f[1].equals("consistent")) {
                    consistent = true;
                }
                if (f[0].equals("cookie")) {
                    // a cookie-persistent backend needs a cookie value on every server
                    return false;
                }
            }
            return CONSISTENT_OR_DYNAMIC.contains(algorithm) || consistent;
        }
    }
}

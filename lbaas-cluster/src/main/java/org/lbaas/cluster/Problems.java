package org.lbaas.cluster;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The malformed znodes a role currently skips, by path, each logged once when it is found. */
final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private final String role;
    private final Map<String, String> byPath = new ConcurrentHashMap<>();

    Problems(String role) {
        this.role = role;
    }

    void report(MalformedZnodeException e) {
        String before = byPath.put(e.path(), e.getMessage());
        if (!e.getMessage().equals(before)) {
            LOG.warn("{} skips {}", role, e.getMessage());
        }
    }

    void clear(String path) {
        byPath.remove(path);
    }

    /** Returns the malformed znodes skipped now: path to what is wrong, in path order. */
    Map<String, String> snapshot() {
        return Map.copyOf(new TreeMap<>(byPath));
    }
}

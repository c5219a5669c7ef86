package org.lbaas.cluster;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** The znode layout under one root (see the module's design): one place that spells every path. */
final class ZnodePaths {

    static final String DEFAULT_ROOT = "/lbaas";

    private static final Pattern ROOT = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
    private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9-]{1,63}");

    private final String root;

    ZnodePaths(String root) {
        this.root = checkRoot(root);
    }

    static String checkRoot(String root) {
        Objects.requireNonNull(root, "root");
        if (!ROOT.matcher(root).matches()) {
            throw new IllegalArgumentException("root must be an absolute znode path such as /lbaas (segments of letters, digits, '_', '.', '-', no trailing '/'): '"
                    + root + "'");
        }
        return root;
    }

    /**
     * Checks an agent id: it becomes a znode name.
     *
     * @param agentId the id
     * @return the id
     * @throws IllegalArgumentException naming the value and the rule
     */
    static String checkAgentId(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        if (!AGENT_ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("agentId must be 1 to 63 lower-case letters, digits or '-': '" + agentId + "'");
        }
        return agentId;
    }

    String root() {
        return root;
    }

    String work() {
        return root + "/work";
    }

    String work(UUID poolId) {
        return work() + "/" + poolId;
    }

    String agents() {
        return root + "/agents";
    }

    String agent(String agentId) {
        return agents() + "/" + agentId;
    }

    String placements() {
        return root + "/placements";
    }

    String placement(UUID poolId) {
        return placements() + "/" + poolId;
    }

    String reports() {
        return root + "/reports";
    }

    String reports(UUID poolId) {
        return reports() + "/" + poolId;
    }

    String report(UUID poolId, String agentId) {
        return reports(poolId) + "/" + agentId;
    }

    String leader() {
        return root + "/scheduler/leader";
    }

    /** Returns the last segment of a path. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Returns the segment of {@code path} right below {@code parent}, or null when path is not deeper than it. */
    static String childOf(String parent, String path) {
        if (!path.startsWith(parent + "/")) {
            return null;
        }
        String rest = path.substring(parent.length() + 1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** Parses a pool id from a znode name, or null when it is not one. */
    static UUID poolId(String name) {
        try {
            UUID id = UUID.fromString(name);
            return id.toString().equals(name) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package org.lbaas.api;

/** The kinds of object the service manages, with the names Neutron LBaaS v1 uses for them. */
public enum ObjectKind {
    /** A pool, which also identifies its load balancer. */
    POOL("pool"),
    /** A member of a pool. */
    MEMBER("member"),
    /** A health monitor. */
    HEALTH_MONITOR("health_monitor"),
    /** A VIP. */
    VIP("vip"),
    /** The association of a health monitor with a pool. */
    ASSOCIATION("pool_health_monitor"),
    /** A subnet known to the {@link SubnetRegistry}. */
    SUBNET("subnet");

    private final String wireName;

    ObjectKind(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the Neutron name of the kind, such as {@code health_monitor}. */
    public String wireName() {
        return wireName;
    }
}

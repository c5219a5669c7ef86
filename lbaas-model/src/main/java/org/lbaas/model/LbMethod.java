package org.lbaas.model;

/** How a pool picks a member for a new connection or request. */
public enum LbMethod {
    /** Each member in turn, in proportion to its weight. */
    ROUND_ROBIN,
    /** The member with the fewest active connections, relative to its weight. */
    LEAST_CONNECTIONS,
    /** A hash of the client's source address, so one client keeps reaching one member. */
    SOURCE_IP
}

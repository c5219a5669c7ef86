package org.lbaas.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.lbaas.model.HealthMonitor;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.Status;
import org.lbaas.model.Vip;

/**
 * When a create names an id that an object of the same kind already has: decides whether the
 * request repeats the create that made the object (then it is idempotent), or conflicts with it.
 *
 * <p>A create is a <em>repeat</em> when the existing object, as it is now, has exactly the
 * attributes the request asks for: the same tenant, the same parent (the pool of a member or
 * VIP), and every attribute the request sets equal to the object's (attributes the request leaves
 * to the service, such as a VIP's address or port when absent, or a pool's provider when empty,
 * are not compared), and the object is not being deleted. Status and status description are not
 * attributes. An object changed by an update since its create is no longer matched by the
 * original create. Anything else is a {@link ConflictException} naming the kind and the id; the
 * differing attributes are named only when the object is the caller's own tenant's.
 */
final class RepeatedCreates {

    private RepeatedCreates() {
    }

    /** Differences between a pool create and an existing pool ({@code provider}: the one the service chose). */
    static List<String> differences(PoolCreate r, String provider, Pool have) {
        List<String> d = new ArrayList<>();
        differ(d, "name", have.name(), r.name());
        differ(d, "description", have.description(), r.description());
        differ(d, "subnet_id", have.subnetId(), r.subnetId());
        differ(d, "protocol", have.protocol(), r.protocol());
        differ(d, "lb_method", have.lbMethod(), r.lbMethod());
        differ(d, "provider", have.provider(), provider);
        differ(d, "admin_state_up", have.adminStateUp(), r.adminStateUp());
        deleting(d, have.status());
        return d;
    }

    /** Differences between a member create and an existing member. */
    static List<String> differences(MemberCreate r, Member have) {
        List<String> d = new ArrayList<>();
        differ(d, "pool_id", have.poolId(), r.poolId());
        differ(d, "address", IpAddresses.toText(have.address()), IpAddresses.toText(r.address()));
        differ(d, "protocol_port", have.protocolPort(), r.protocolPort());
        differ(d, "weight", have.weight(), r.weight());
        differ(d, "admin_state_up", have.adminStateUp(), r.adminStateUp());
        deleting(d, have.status());
        return d;
    }

    /** Differences between a health monitor as a create would make it ({@code want}) and an existing one. */
    static List<String> differences(HealthMonitor want, HealthMonitor have) {
        List<String> d = new ArrayList<>();
        differ(d, "type", have.type(), want.type());
        differ(d, "delay", have.delay(), want.delay());
        differ(d, "timeout", have.timeout(), want.timeout());
        differ(d, "max_retries", have.maxRetries(), want.maxRetries());
        differ(d, "http_method/url_path/expected_codes", have.httpCheck(), want.httpCheck());
        differ(d, "admin_state_up", have.adminStateUp(), want.adminStateUp());
        return d;
    }

    /** Differences between a VIP create and an existing VIP. */
    static List<String> differences(VipCreate r, Vip have) {
        List<String> d = new ArrayList<>();
        differ(d, "pool_id", have.poolId(), r.poolId());
        differ(d, "name", have.name(), r.name());
        differ(d, "description", have.description(), r.description());
        differ(d, "subnet_id", have.subnetId(), r.subnetId());
        r.address().ifPresent(a -> differ(d, "address", IpAddresses.toText(have.address()), IpAddresses.toText(a)));
        r.portId().ifPresent(p -> differ(d, "port_id", have.portId(), p));
        differ(d, "protocol_port", have.protocolPort(), r.protocolPort());
        differ(d, "protocol", have.protocol(), r.protocol());
        differ(d, "session_persistence", have.sessionPersistence(), r.sessionPersistence());
        differ(d, "connection_limit", have.connectionLimit(), r.connectionLimit());
        differ(d, "admin_state_up", have.adminStateUp(), r.adminStateUp());
        deleting(d, have.status());
        return d;
    }

    /**
     * Returns nothing when a create repeats the one that made the object, else the conflict.
     *
     * @param kind the kind
     * @param id the id asked for
     * @param tenant the tenant of the request
     * @param haveTenant the tenant of the existing object
     * @param differences what differs (see the {@code differences} methods)
     * @return the conflict to throw, or {@code null} for a repeat
     */
    static ConflictException conflict(ObjectKind kind, UUID id, String tenant, String haveTenant, List<String> differences) {
        if (!tenant.equals(haveTenant)) {
            return new ConflictException(kind, id.toString(), kind.wireName() + " id " + id
                    + " is taken: ids are unique across tenants; choose another id");
        }
        if (differences.isEmpty()) {
            return null;
        }
        return new ConflictException(kind, id.toString(), kind.wireName() + " id " + id + " is taken by an existing "
                + kind.wireName() + " that differs from this request in " + String.join(", ", differences)
                + "; a create with a taken id is accepted only when it repeats the create exactly");
    }

    private static void differ(List<String> out, String name, Object have, Object want) {
        if (!Objects.equals(have, want)) {
            out.add(name + " (" + have + " here, " + want + " asked)");
        }
    }

    private static void deleting(List<String> out, Status status) {
        if (status == Status.PENDING_DELETE) {
            out.add("status (it is being deleted)");
        }
    }
}

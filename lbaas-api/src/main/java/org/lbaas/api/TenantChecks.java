package org.lbaas.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.ExpectedCodes;
import org.lbaas.model.HttpCheck;
import org.lbaas.model.HttpMethod;
import org.lbaas.model.IpAddresses;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.Member;
import org.lbaas.model.Pool;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.ValidationException;
import org.lbaas.model.Violation;
import org.lbaas.model.Violations;
import org.lbaas.model.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks of tenant requests that span objects, each failing with the exception of its kind, and
 * the steps the tenant operations share (moving an object between pools). The instance methods run
 * under the state's lock, within a change.
 */
record TenantChecks(ServiceState state, ChangeEngine engine, Capabilities capabilities, SubnetRegistry subnets) {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerService.class);

    // ------------------------------------------------------------------------------------------
    // Checks (under the state's lock)

    Subnet subnet(UUID subnetId) {
        return subnets.subnet(subnetId).orElseThrow(() -> new NotFoundException(ObjectKind.SUBNET, subnetId.toString()));
    }

    /** Returns an existing pool that is not being deleted. */
    TrackedLoadBalancer changeablePool(UUID poolId) {
        TrackedLoadBalancer lb = state.lbOrThrow(poolId);
        notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
        return lb;
    }

    /** Returns the load balancer as the driver would get it, refusing a request that breaks the model's rules. */
    LoadBalancer validDesired(ObjectKind kind, String id, TrackedLoadBalancer lb) {
        try {
            return state.desired(lb);
        } catch (ValidationException e) {
            throw new InvalidRequestException(kind, id, e.violations());
        }
    }

    /** As {@link #validDesired}, and refuses what the driver does not support. */
    void checkedDesired(ObjectKind kind, String id, TrackedLoadBalancer lb) {
        List<Violation> unsupported = capabilities.unsupported(validDesired(kind, id, lb));
        if (!unsupported.isEmpty()) {
            throw new UnsupportedByDriverException(kind, id, unsupported);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Moves between pools (a member or a VIP)

    /**
     * Plans a change of an object that may move: the pool it is in ({@code source}, the object is
     * not found without one) and the pool it moves to, if another.
     */
    private static ChangeEngine.Plan movePlan(Optional<UUID> source, ObjectKind kind, String id, Optional<UUID> target) {
        UUID from = source.orElseThrow(() -> new NotFoundException(kind, id));
        UUID to = target.orElse(from);
        return ChangeEngine.Plan.of(List.of(), to.equals(from) ? List.of(from) : List.of(from, to));
    }

    /**
     * Runs a change of an object a pool holds (a member or a VIP) that may move to another pool;
     * the body gets the pool that holds it now. Not found when no pool holds it.
     */
    <T> T changeHeld(Supplier<Optional<UUID>> holder, ObjectKind kind, String id, Optional<UUID> target,
                     BiFunction<ChangeEngine.Tx, TrackedLoadBalancer, T> body) {
        return engine.change(() -> movePlan(holder.get(), kind, id, target),
                tx -> body.apply(tx, state.lbOrThrow(holder.get().orElseThrow())));
    }

    /**
     * Stages an updated object: {@code next} is the pool that holds it afterwards, and
     * {@code leftBehind} the pool it moved out of (without it), if it moved.
     */
    void stageUpdate(ChangeEngine.Tx tx, ObjectKind kind, String id, TrackedLoadBalancer next,
                     Optional<TrackedLoadBalancer> leftBehind) {
        if (leftBehind.isEmpty()) {
            checkedDesired(kind, id, next);
            engine.stage(tx, next.id(), next);
        } else {
            stageMove(tx, kind, id, next, leftBehind.get());
        }
    }

    /**
     * Stages a move: the new owner ({@code nextTarget}, complete) is written first, so a crash
     * between the two writes leaves the object in both documents and the newer revision wins on
     * load; the old owner, without the object, goes PENDING_UPDATE to be applied without it.
     */
    void stageMove(ChangeEngine.Tx tx, ObjectKind kind, String id, TrackedLoadBalancer nextTarget,
                           TrackedLoadBalancer withoutObject) {
        long ver = tx.version;
        UUID sourceId = withoutObject.id();
        TrackedLoadBalancer nextSource = withoutObject
                .withPool(withoutObject.pool().withStatus(pendingStatus(withoutObject.pool().status(), Status.PENDING_UPDATE),
                        ""))
                .pendingSince(sourceId, ver).withRevision(ver);
        checkedDesired(kind, id, nextTarget);
        validDesired(kind, id, nextSource);
        engine.stage(tx, nextTarget.id(), nextTarget);
        engine.stage(tx, sourceId, nextSource);
    }

    /**
     * Where an update takes an object a pool holds (a member or a VIP): out of {@code source}, the
     * pool holding it, into {@code target}, the pool the update names, which is {@code source} when
     * it names none or the same one.
     */
    record Move(TrackedLoadBalancer source, TrackedLoadBalancer target) {

        /** Whether the object changes pools. */
        boolean moves() {
            return !target.id().equals(source.id());
        }

        /** On a move, checks that the target pool is one of the object's tenant. */
        void checkTenant(Violations v, String tenantId) {
            if (moves()) {
                v.check(tenantId.equals(target.pool().tenantId()), "pool_id", target.id(),
                        "must be a pool of tenant " + tenantId + ", not of " + target.pool().tenantId());
            }
        }

        /** On a move, the source without the object (what {@link #stageUpdate} calls left behind). */
        Optional<TrackedLoadBalancer> leftBehind(UnaryOperator<TrackedLoadBalancer> without) {
            return moves() ? Optional.of(without.apply(source)) : Optional.empty();
        }

        /** Logs a move, then returns the keys the change waits for (see {@link #moveKeys}). */
        List<ObjectKey> loggedKeys(ObjectKey key) {
            if (moves()) {
                LOG.info("{} {}: moving from pool {} to pool {}", key.kind().wireName(), key.id(), source.id(), target.id());
            }
            return moveKeys(key, moves(), source.id());
        }
    }

    /**
     * Resolves where an update of an object held by {@code source} takes it ({@code poolId}, or
     * where it is); refuses the change when either pool is being deleted, the target when missing.
     */
    Move move(TrackedLoadBalancer source, Optional<UUID> poolId) {
        notDeleting(ObjectKind.POOL, source.id().toString(), source.pool().status());
        UUID targetId = poolId.orElse(source.id());
        return new Move(source, targetId.equals(source.id()) ? source : changeablePool(targetId));
    }

    /** The keys a change of a moved object waits for: the object, and after a move the old owner's pool. */
    static List<ObjectKey> moveKeys(ObjectKey key, boolean move, UUID sourceId) {
        return move ? List.of(key, ObjectKey.pool(sourceId)) : List.of(key);
    }

    // ------------------------------------------------------------------------------------------
    // Checks of one request

    /** Refuses a create whose id is taken, unless it repeats the create that made the object (see {@link RepeatedCreates}). */
    static void throwIfTaken(ObjectKind kind, UUID id, String tenant, String haveTenant, List<String> differences) {
        ConflictException e = RepeatedCreates.conflict(kind, id, tenant, haveTenant, differences);
        if (e != null) {
            throw e;
        }
    }

    /** Throws every violation at once, each path prefixed with the request's object ({@code vip.name}). */
    static void throwIfInvalid(Violations v, ObjectKind kind, String id, String prefix) {
        if (!v.isEmpty()) {
            throw new InvalidRequestException(kind, id, v.list().stream().map(x -> x.prefixed(prefix)).toList());
        }
    }

    /** Refuses a change of an object that is being deleted. */
    static void notDeleting(ObjectKind kind, String id, Status status) {
        if (status == Status.PENDING_DELETE) {
            throw new InvalidStateException(kind, id, status, kind.wireName() + " " + id
                    + " is being deleted (PENDING_DELETE) and cannot be changed");
        }
    }

    static void sameTenant(Violations v, String tenantId, Pool pool) {
        v.check(tenantId.equals(pool.tenantId()), "tenant_id", tenantId,
                "must be the tenant of pool " + pool.id() + " (" + pool.tenantId() + ")");
    }

    /** Refuses a second member with the same address and port in one pool. */
    static void uniqueEndpoint(TrackedLoadBalancer lb, Member m, String id) {
        for (Member other : lb.members().values()) {
            if (!other.id().equals(m.id()) && other.address().equals(m.address())
                    && other.protocolPort() == m.protocolPort()) {
                String endpoint = " with address " + IpAddresses.toText(m.address()) + " and protocol_port " + m.protocolPort();
                throw new ConflictException(ObjectKind.MEMBER, id, ConflictException.Reason.MEMBER_EXISTS,
                        "pool " + lb.id() + " already has member " + other.id() + endpoint,
                        "pool " + lb.id() + " already has a member" + endpoint,
                        new ConflictException.Conflicting(ObjectKind.MEMBER, other.id().toString(), other.tenantId()));
            }
        }
    }

    /**
     * Refuses a member whose address is one of the pool's instance addresses
     * ({@link org.lbaas.model.LoadBalancer#instanceAddresses()}): those belong to the data plane.
     */
    static void notInstanceAddress(TrackedLoadBalancer lb, Member m, String id) {
        int instance = lb.instanceAddresses().indexOf(m.address());
        if (instance >= 0) {
            Vip vip = lb.vip().orElseThrow();
            String rule = "address " + IpAddresses.toText(m.address()) + " is reserved for load balancer instance " + instance
                    + " of pool " + lb.id() + " and cannot be a member address";
            throw new ConflictException(ObjectKind.MEMBER, id, ConflictException.Reason.ADDRESS_IN_USE,
                    rule + " (it was allocated with vip " + vip.id() + ")", rule, conflicting(vip));
        }
    }

    /** Refuses a second VIP for a pool. */
    static void noVip(TrackedLoadBalancer lb, String id) {
        if (lb.vip().isPresent()) {
            Vip other = lb.vip().get();
            throw new ConflictException(ObjectKind.VIP, id, ConflictException.Reason.VIP_EXISTS,
                    "pool " + lb.id() + " already has vip " + other.id(), "pool " + lb.id() + " already has a vip",
                    conflicting(other));
        }
    }

    /** The VIP a conflict is about. */
    static ConflictException.Conflicting conflicting(Vip vip) {
        return new ConflictException.Conflicting(ObjectKind.VIP, vip.id().toString(), vip.tenantId());
    }

    /** A PENDING_CREATE object stays PENDING_CREATE when it changes again before the driver created it. */
    static Status pendingStatus(Status current, Status wanted) {
        return current == Status.PENDING_CREATE ? Status.PENDING_CREATE : wanted;
    }

    /**
     * Builds the HTTP part of a monitor from a request's fields over the current values (or v1's
     * defaults), or records why the fields are not allowed.
     */
    static Optional<HttpCheck> httpCheck(Violations v, boolean http, Optional<HttpMethod> method,
                                         Optional<String> path, Optional<String> codes,
                                         Optional<HttpCheck> current) {
        if (!http) {
            String rule = "is only for HTTP and HTTPS monitors";
            method.ifPresent(m -> v.add(Violation.of("http_method", m, rule)));
            path.ifPresent(p -> v.add(Violation.of("url_path", p, rule)));
            codes.ifPresent(c -> v.add(Violation.of("expected_codes", c, rule)));
            return Optional.empty();
        }
        HttpCheck base = current.orElse(HttpCheck.defaults());
        Optional<ExpectedCodes> expected = codes.isPresent()
                ? v.nested("", () -> ExpectedCodes.parse(codes.get())) : Optional.of(base.expectedCodes());
        return v.nested("", () -> new HttpCheck(method.orElse(base.method()), path.orElse(base.urlPath()),
                expected.orElse(base.expectedCodes())));
    }
}

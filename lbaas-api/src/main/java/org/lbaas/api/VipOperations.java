package org.lbaas.api;

import static org.lbaas.api.TenantChecks.conflicting;
import static org.lbaas.api.TenantChecks.noVip;
import static org.lbaas.api.TenantChecks.notDeleting;
import static org.lbaas.api.TenantChecks.pendingStatus;
import static org.lbaas.api.TenantChecks.sameTenant;
import static org.lbaas.api.TenantChecks.throwIfInvalid;
import static org.lbaas.api.TenantChecks.throwIfTaken;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.lbaas.model.Status;
import org.lbaas.model.Subnet;
import org.lbaas.model.Vip;
import org.lbaas.model.Violations;

/** The tenant operations on VIPs; see {@link LoadBalancerService}. */
record VipOperations(ServiceState state, ChangeEngine engine, TenantChecks checks) {

    Pending<Vip> createVip(VipCreate request) {
        Objects.requireNonNull(request, "request");
        UUID id = request.id().orElseGet(UUID::randomUUID);
        UUID poolId = request.poolId();
        Subnet subnet = checks.subnet(request.subnetId());
        return engine.changePool(poolId, tx -> {
            TrackedLoadBalancer lb = state.lbOrThrow(poolId);
            if (state.poolOfVip(id).isPresent()) {
                Vip have = state.vipOrThrow(id);
                throwIfTaken(ObjectKind.VIP, id, request.tenantId(), have.tenantId(), RepeatedCreates.differences(request, have));
                return vipPending(tx, have, List.of(ObjectKey.vip(id)));
            }
            notDeleting(ObjectKind.POOL, poolId.toString(), lb.pool().status());
            noVip(lb, "");
            InetAddress address = vipAddress(subnet, request.address());
            List<InetAddress> instances = instanceAddresses(subnet, address);
            UUID portId = request.portId().orElseGet(UUID::randomUUID);
            Optional<Vip> portUser = state.vipWithPort(portId);
            if (portUser.isPresent()) {
                throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.PORT_IN_USE,
                        "port " + portId + " is in use by vip " + portUser.get().id(), "port " + portId + " is in use",
                        conflicting(portUser.get()));
            }
            Violations v = new Violations();
            Optional<Vip> vip = v.nested("", () -> Vip.builder().id(id).tenantId(request.tenantId()).name(request.name())
                    .description(request.description()).subnetId(request.subnetId()).address(address).portId(portId)
                    .protocolPort(request.protocolPort()).protocol(request.protocol()).poolId(poolId)
                    .sessionPersistence(request.sessionPersistence().orElse(null))
                    .connectionLimit(request.connectionLimit()).adminStateUp(request.adminStateUp())
                    .status(Status.PENDING_CREATE).build());
            sameTenant(v, request.tenantId(), lb.pool());
            v.check(request.protocol() == lb.pool().protocol(), "protocol", request.protocol(),
                    "must equal the protocol of pool " + poolId + " (" + lb.pool().protocol() + ")");
            throwIfInvalid(v, ObjectKind.VIP, "", "vip");
            Vip nv = vip.orElseThrow();
            TrackedLoadBalancer next = lb.withVip(Optional.of(nv), Optional.of(subnet), instances)
                    .pendingSince(id, tx.version).withRevision(tx.version);
            checks.checkedDesired(ObjectKind.VIP, "", next);
            engine.stage(tx, poolId, next);
            return vipPending(tx, nv, List.of(ObjectKey.vip(id)));
        });
    }

    /**
     * The address of a new VIP ({@link VipAddresses}): a requested one unless another VIP has it or
     * it is an instance address; else the first free one that is no member's address either. A
     * requested address outside the subnet is kept: the model's rules refuse it together with the
     * request's other violations.
     */
    private InetAddress vipAddress(Subnet subnet, Optional<InetAddress> requested) {
        Set<InetAddress> taken = state.takenAddresses(subnet.id());
        if (requested.isEmpty()) {
            taken.addAll(state.memberAddressesIn(subnet));
        }
        VipAddresses.Allocation allocation = VipAddresses.allocate(subnet, taken, requested);
        if (allocation instanceof VipAddresses.Chosen chosen) {
            return chosen.address();
        }
        if (allocation instanceof VipAddresses.OutsideSubnet outside) {
            return outside.address();
        }
        if (allocation instanceof VipAddresses.InUse inUse) {
            Optional<Vip> vip = state.vipWithAddress(subnet.id(), inUse.address());
            if (vip.isPresent()) {
                throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.ADDRESS_IN_USE,
                        inUse.reason() + " by vip " + vip.get().id(), inUse.reason(), conflicting(vip.get()));
            }
            TrackedLoadBalancer holder = state.holderOfInstanceAddress(subnet.id(), inUse.address()).orElseThrow();
            Vip owner = holder.vip().orElseThrow();
            throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.ADDRESS_IN_USE,
                    inUse.reason() + " by instance " + holder.instanceAddresses().indexOf(inUse.address())
                            + " of the load balancer of pool " + holder.id() + " (vip " + owner.id() + ")",
                    inUse.reason() + " by a load balancer instance", conflicting(owner));
        }
        throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.NO_FREE_ADDRESS, allocation.reason());
    }

    /**
     * The instance addresses that come with a new VIP: as many as the driver declares
     * ({@link org.lbaas.driver.spi.Capabilities#instanceAddresses()}), each the first free address
     * of the subnet that is neither taken, nor the new VIP's, nor a member's.
     *
     * @throws ConflictException (NO_FREE_ADDRESS) when the subnet has too few free addresses
     */
    private List<InetAddress> instanceAddresses(Subnet subnet, InetAddress vipAddress) {
        int needed = checks.capabilities().instanceAddresses();
        if (needed == 0) {
            return List.of();
        }
        Set<InetAddress> taken = state.takenAddresses(subnet.id());
        taken.addAll(state.memberAddressesIn(subnet));
        taken.add(vipAddress);
        List<InetAddress> chosen = VipAddresses.free(subnet, taken, needed);
        if (chosen.size() < needed) {
            throw new ConflictException(ObjectKind.VIP, "", ConflictException.Reason.NO_FREE_ADDRESS,
                    VipAddresses.tooFewForInstances(subnet, needed, chosen.size()));
        }
        return chosen;
    }

    private Pending<Vip> vipPending(ChangeEngine.Tx tx, Vip now, List<ObjectKey> keys) {
        return engine.pending(tx, now, keys, () -> state.vipOrThrow(now.id()));
    }

    Vip getVip(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        return state.read(() -> state.vipOrThrow(vipId));
    }

    List<Vip> listVips() {
        return state.read(() -> state.loadBalancers().stream().flatMap(lb -> lb.vip().stream()).toList());
    }

    List<Vip> listVips(String tenantId) {
        Objects.requireNonNull(tenantId, "tenantId");
        return listVips().stream().filter(v -> v.tenantId().equals(tenantId)).toList();
    }

    Pending<Vip> updateVip(UUID vipId, VipUpdate update) {
        Objects.requireNonNull(vipId, "vipId");
        Objects.requireNonNull(update, "update");
        String vid = vipId.toString();
        return checks.changeHeld(() -> state.poolOfVip(vipId), ObjectKind.VIP, vid, update.poolId(), (tx, source) -> {
            Vip vip = source.vip().orElseThrow();
            notDeleting(ObjectKind.VIP, vid, vip.status());
            TenantChecks.Move to = checks.move(source, update.poolId());
            TrackedLoadBalancer target = to.target();
            if (to.moves()) {
                noVip(target, vid);
            }
            Violations v = new Violations();
            Optional<Vip> changed = v.nested("", () -> {
                Vip.Builder b = vip.toBuilder().poolId(target.id())
                        .status(pendingStatus(vip.status(), Status.PENDING_UPDATE)).statusDescription("");
                update.name().ifPresent(b::name);
                update.description().ifPresent(b::description);
                update.connectionLimit().ifPresent(b::connectionLimit);
                update.adminStateUp().ifPresent(b::adminStateUp);
                update.sessionPersistence().ifPresent(change -> b.sessionPersistence(change.persistence().orElse(null)));
                return b.build();
            });
            if (to.moves()) {
                v.check(vip.protocol() == target.pool().protocol(), "pool_id", target.id(),
                        "must be a pool with protocol " + vip.protocol() + ", not " + target.pool().protocol());
            }
            to.checkTenant(v, vip.tenantId());
            throwIfInvalid(v, ObjectKind.VIP, vid, "vip");
            Vip nv = changed.orElseThrow();
            TrackedLoadBalancer next = target.withVip(Optional.of(nv), source.vipSubnet(), source.instanceAddresses())
                    .pendingSince(vipId, tx.version).withRevision(tx.version);
            checks.stageUpdate(tx, ObjectKind.VIP, vid, next,
                    to.leftBehind(s -> s.withVip(Optional.empty(), Optional.empty()).settled(vipId)));
            return vipPending(tx, nv, to.loggedKeys(ObjectKey.vip(vipId)));
        });
    }

    Pending<Optional<Vip>> deleteVip(UUID vipId) {
        Objects.requireNonNull(vipId, "vipId");
        String vid = vipId.toString();
        return checks.changeHeld(() -> state.poolOfVip(vipId), ObjectKind.VIP, vid, Optional.empty(), (tx, lb) -> {
            UUID poolId = lb.id();
            Vip vip = lb.vip().orElseThrow();
            notDeleting(ObjectKind.VIP, vid, vip.status());
            Vip deleting = vip.withStatus(Status.PENDING_DELETE, "");
            TrackedLoadBalancer next = lb.withVip(Optional.of(deleting), lb.vipSubnet()).pendingSince(vipId, tx.version)
                    .withRevision(tx.version);
            engine.stage(tx, poolId, next);
            return engine.pending(tx, Optional.of(deleting), List.of(ObjectKey.vip(vipId)), () -> state.findVip(vipId));
        });
    }
}

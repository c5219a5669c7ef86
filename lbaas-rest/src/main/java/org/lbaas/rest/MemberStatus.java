package org.lbaas.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.api.LbaasException;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.model.Member;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's {@code status} as v1 showed it: the v1 agent wrote the health it read from HAProxy
 * into the member's status, so a member that failed its checks was {@code INACTIVE}, and became
 * {@code ACTIVE} again when they passed. lbaas keeps health apart from provisioning status, and
 * derives v1's view here, for every member the API writes:
 * <ul>
 *   <li>only an {@code ACTIVE} member is changed, to {@link MemberHealth#toV1Status()} of its
 *       health ({@code DOWN} shows as {@code INACTIVE}); {@code PENDING_*}, {@code ERROR} and an
 *       admin-down member's {@code DISABLED} are shown as stored;</li>
 *   <li>health is read once per pool and request ({@link LoadBalancerService#memberHealth}), only
 *       for pools with an {@code ACTIVE} member among those written;</li>
 *   <li>when the driver cannot tell (no health for the member, the driver busy or failing, the pool
 *       just deleted), the stored status is shown.</li>
 * </ul>
 */
final class MemberStatus {

    private static final Logger LOG = LoggerFactory.getLogger(MemberStatus.class);

    private MemberStatus() {
    }

    /** Returns the members with their status as v1 would show it, in the same order. */
    static List<Member> derive(LoadBalancerService service, List<Member> members) {
        Map<UUID, Optional<Map<UUID, MemberHealth>>> byPool = new HashMap<>();
        List<Member> out = new ArrayList<>(members.size());
        for (Member m : members) {
            if (m.status() != Status.ACTIVE) {
                out.add(m);
                continue;
            }
            Optional<Map<UUID, MemberHealth>> health = byPool.computeIfAbsent(m.poolId(), pool -> read(service, pool));
            Status shown = health.map(h -> h.get(m.id())).map(MemberHealth::toV1Status).orElse(Status.ACTIVE);
            out.add(shown == Status.ACTIVE ? m : m.withStatus(shown, m.statusDescription()));
        }
        return out;
    }

    private static Optional<Map<UUID, MemberHealth>> read(LoadBalancerService service, UUID poolId) {
        try {
            return Optional.of(service.memberHealth(poolId));
        } catch (LbaasException | DriverException | IllegalStateException e) {
            LOG.debug("health of pool {} not available, members shown with their stored status: {}", poolId, e.toString());
            return Optional.empty();
        }
    }
}

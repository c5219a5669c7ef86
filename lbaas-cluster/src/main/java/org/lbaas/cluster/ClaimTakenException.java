package org.lbaas.cluster;

import java.util.Optional;
import java.util.UUID;
import org.lbaas.api.ObjectKind;
import org.lbaas.api.StoreConflictException;

/**
 * A {@link ZooKeeperRepository} write of a load balancer refused because another VIP already
 * claims one of its VIP's addresses or its port: two controllers gave the same address (or port)
 * to two VIPs at once, and the other one's document was stored first. Nothing was written.
 *
 * <p>The message names the address or port, the subnet, the VIP and pool that hold it and the
 * claim's znode; {@link #holder()} is that pool, whose document the service reloads before it
 * decides again (a requested address is then refused as in use, an allocated one replaced).
 */
public final class ClaimTakenException extends StoreConflictException {

    private static final long serialVersionUID = 1L;

    private final String claimed;
    private final String path;

    ClaimTakenException(UUID poolId, String claimed, String path, Optional<UUID> holderVip, Optional<UUID> holderPool) {
        super(ObjectKind.POOL, poolId.toString(), claimed + " is taken by "
                + holderVip.map(v -> "vip " + v + " of pool " + holderPool.map(UUID::toString).orElse("(unknown)"))
                        .orElse("another writer (" + path + " is not a claim this version reads)")
                + " (claim " + path + "); nothing was written", holderPool);
        this.claimed = claimed;
        this.path = path;
    }

    /** Returns what was claimed, such as {@code address 10.0.0.5 on subnet <id>} or {@code port <id>}. */
    public String claimed() {
        return claimed;
    }

    /** Returns the claim's znode. */
    public String path() {
        return path;
    }
}

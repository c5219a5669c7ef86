package org.lbaas.api.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.lbaas.api.HealthMonitorCreate;
import org.lbaas.api.HealthMonitorUpdate;
import org.lbaas.api.MemberCreate;
import org.lbaas.api.MemberUpdate;
import org.lbaas.api.PoolCreate;
import org.lbaas.api.PoolUpdate;
import org.lbaas.api.VipCreate;
import org.lbaas.api.VipUpdate;

/**
 * The body of one of Neutron's {@code POST} or {@code PUT} requests, {@code {"key": {...}}}, and
 * its one reader into the service's request record.
 *
 * @param key the key the body is wrapped in ({@code "pool"})
 * @param kind what it is called in messages ({@code "health monitor"})
 * @param reader reads the attributes, recording violations
 * @param <T> the request record
 */
public record WireRequest<T>(String key, String kind, Function<Fields, Optional<T>> reader) {

    /** {@code POST /lb/pools}. */
    public static final WireRequest<PoolCreate> POOL_CREATE = new WireRequest<>("pool", "pool", Readers::poolCreate);
    /** {@code PUT /lb/pools/{id}}. */
    public static final WireRequest<PoolUpdate> POOL_UPDATE = new WireRequest<>("pool", "pool", Readers::poolUpdate);
    /** {@code POST /lb/members}. */
    public static final WireRequest<MemberCreate> MEMBER_CREATE = new WireRequest<>("member", "member",
            Readers::memberCreate);
    /** {@code PUT /lb/members/{id}}. */
    public static final WireRequest<MemberUpdate> MEMBER_UPDATE = new WireRequest<>("member", "member",
            Readers::memberUpdate);
    /** {@code POST /lb/health_monitors}. */
    public static final WireRequest<HealthMonitorCreate> HEALTH_MONITOR_CREATE = new WireRequest<>("health_monitor",
            "health monitor", Readers::healthMonitorCreate);
    /** {@code PUT /lb/health_monitors/{id}}. */
    public static final WireRequest<HealthMonitorUpdate> HEALTH_MONITOR_UPDATE = new WireRequest<>("health_monitor",
            "health monitor", Readers::healthMonitorUpdate);
    /** {@code POST /lb/vips}. */
    public static final WireRequest<VipCreate> VIP_CREATE = new WireRequest<>("vip", "vip", Readers::vipCreate);
    /** {@code PUT /lb/vips/{id}}. */
    public static final WireRequest<VipUpdate> VIP_UPDATE = new WireRequest<>("vip", "vip", Readers::vipUpdate);

    /** Checks that every part is given. */
    public WireRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reader, "reader");
    }

    /**
     * Reads a body.
     *
     * @param tree the parsed body
     * @return the request
     * @throws org.lbaas.model.ValidationException listing every violation
     */
    public T read(JsonNode tree) {
        return Readers.wrapped(tree, key, kind, reader);
    }
}

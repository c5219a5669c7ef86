package org.lbaas.api;

import static org.lbaas.api.Fixtures.SUBNET_ID;
import static org.lbaas.api.Fixtures.TENANT;
import static org.lbaas.api.Fixtures.done;
import static org.lbaas.api.Fixtures.pool;

import java.util.UUID;
import org.lbaas.model.Protocol;
import org.lbaas.model.Vip;

/**
 * Run by {@link WithoutMicrometerTest} in a JVM whose class path has no Micrometer: the tenant flow
 * of the default service (no meter registry) must work. Prints {@code ok <status>} at the end.
 */
public final class WithoutMicrometerMain {

    private WithoutMicrometerMain() {
    }

    public static void main(String[] args) {
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            throw new IllegalStateException("Micrometer is on the class path of this JVM");
        } catch (ClassNotFoundException expected) {
            // as it should be
        }
        FakeDriver driver = new FakeDriver();
        try (LoadBalancerService service = Fixtures.builder(driver).build()) {
            UUID poolId = done(service.createPool(pool(Protocol.HTTP))).id();
            done(service.createMember(MemberCreate.of(TENANT, poolId, "10.0.0.5", 80)));
            Vip vip = done(service.createVip(VipCreate.of(TENANT, SUBNET_ID, 80, Protocol.HTTP, poolId)));
            service.stats(poolId);
            try {
                service.getPool(UUID.randomUUID());
                throw new IllegalStateException("a missing pool was found");
            } catch (NotFoundException expected) {
                // as it should be
            }
            done(service.deleteVip(vip.id()));
            System.out.println("ok " + vip.status() + " " + driver.applies.get() + " applies");
        }
    }
}

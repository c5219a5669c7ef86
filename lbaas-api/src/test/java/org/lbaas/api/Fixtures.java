package org.lbaas.api;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.model.LbMethod;
import org.lbaas.model.Protocol;
import org.lbaas.model.Subnet;

/** Shared values and helpers of the service tests. */
final class Fixtures {

    static final String TENANT = "tenant-a";
    static final UUID SUBNET_ID = UUID.fromString("9a1f3b2c-0000-4000-8000-000000000001");
    static final UUID SUBNET6_ID = UUID.fromString("9a1f3b2c-0000-4000-8000-000000000006");
    /** 10.0.0.0/24 with gateway 10.0.0.1: the first free VIP address is 10.0.0.2. */
    static final Subnet SUBNET = Subnet.of(SUBNET_ID, "10.0.0.0/24", "10.0.0.1");
    static final Subnet SUBNET6 = Subnet.of(SUBNET6_ID, "2001:db8::/64", "2001:db8::1");

    private Fixtures() {
    }

    static LoadBalancerService.Builder builder(LoadBalancerDriver driver) {
        return LoadBalancerService.builder().driver(driver).subnets(SubnetRegistry.of(SUBNET, SUBNET6))
                .driverDeadline(Duration.ofSeconds(5)).threads(4);
    }

    static PoolCreate pool(Protocol protocol) {
        return PoolCreate.of(TENANT, SUBNET_ID, protocol, LbMethod.ROUND_ROBIN);
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the outcome did not complete within 20 s: an object stayed pending", e);
        }
    }

    static <T> T done(Pending<T> pending) {
        return await(pending.outcome());
    }

    /**
     * Waits until the condition holds, polling every 2 ms; fails naming {@code what} when it does
     * not within {@code patience}.
     */
    static void eventually(String what, Duration patience, BooleanSupplier condition) {
        long until = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - until > 0) {
                throw new AssertionError("not within " + patience.toSeconds() + " s: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

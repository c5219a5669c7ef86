package org.lbaas.conformance;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;

/**
 * The driver conformance kit: extend it, implement {@link #createDriver(ConformanceEnvironment)},
 * run it, and every way the driver differs from the lbaas driver contract fails a test named for
 * the rule it breaks.
 *
 * <pre>{@code
 * class MyDriverConformanceTest extends DriverConformanceKit {
 *
 *     @Override
 *     protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
 *         return new MyDriverProvider().create(env.config().with("directory", env.directory().toString()));
 *     }
 *
 *     @Override
 *     protected Optional<String> providerName() {
 *         return Optional.of("my-driver");
 *     }
 * }
 * }</pre>
 *
 * <p><b>What runs.</b> Each test gets a fresh {@link ConformanceEnvironment} and a fresh driver
 * from the factory method. Most groups drive the driver through a real {@link LoadBalancerService}
 * (the way lbaas uses it), some call it directly. The groups are:
 * <ol>
 *   <li>the provider is registered and found by name (the only group that can be skipped: when
 *       {@link #providerName()} is not overridden, the kit cannot know what to look up);</li>
 *   <li>declared capabilities are honoured: every undeclared feature is refused by the service
 *       before the driver is called, every declared one works end to end;</li>
 *   <li>every object goes through its full v1 lifecycle;</li>
 *   <li>every driver operation is idempotent;</li>
 *   <li>updates carry the correct previous and desired states;</li>
 *   <li>statuses end in ACTIVE, DISABLED or ERROR and never stay pending;</li>
 *   <li>statistics are never negative and only grow between resets;</li>
 *   <li>reconcile removes exactly the orphans;</li>
 *   <li>errors carry a message for the tenant and one for the operator;</li>
 *   <li>probe and repair: a crashed load balancer is reported by {@code probe} and served again
 *       after {@code repair}, and a service heals it by itself (skipped unless the driver's test
 *       overrides {@link #crasher()}, since only it knows how to kill its data plane).</li>
 * </ol>
 * Each group is a test factory of this class, named by the group, whose dynamic tests are named
 * by the rule they enforce: the vendor's class (the subclass) holds and reports them all, the way
 * Micrometer's compatibility kit is one class a registry's test extends. A rule that has cases
 * (one per protocol, per injected fault, ...) is a container of them. The rules are the
 * {@code @Check} methods of the groups' interfaces ({@link RegistrationContract},
 * {@link CapabilitiesContract}, ...), each run on a fresh {@link ConformanceRun} (environment,
 * checked driver, service). A failure's message starts with {@code group › rule:} (and the case,
 * if any), so a report that shows only messages still names the rule that broke.
 *
 * <p>Throughout, every exception other than {@link DriverException} that escapes a driver call, and
 * every previous state the service passes that is not what it applied last, fails the test.
 *
 * <p><b>Allowed variation</b> between drivers is written into the assertions, never into
 * switches: a driver may support less (the kit adapts to its {@link Capabilities}); it may need
 * the shell and the directory or neither (when the kit breaks the environment, a driver that
 * needs it must fail cleanly, one that does not must go on working); it may reset its counters
 * (if it says so in {@link Observation#countersReset()}); an undeployable load balancer applied
 * twice may be {@code UNCHANGED} or {@code UNDEPLOYED}. Notes on which variant a driver showed are
 * published with JUnit's {@link TestReporter}.
 *
 * <p><b>Live mode</b> is an allowed variation of the environment, not of the assertions: a driver
 * with a real data plane runs the same kit on a real host by letting the environment's recording
 * shell pass commands through to the real one,
 * {@code env.shell().passThroughTo(ShellExecutor.system())}, in
 * {@link #createDriver(ConformanceEnvironment)}; the kit still injects its failures on top (see
 * {@link ConformanceEnvironment}). The kit waits up to a minute for each change, so a real data
 * plane has time to converge.
 *
 * <p><b>What the kit needs from a driver</b> besides the SPI: it must declare at least one limit
 * or unsupported feature that the kit can exceed cheaply (a connection limit below
 * {@code Integer.MAX_VALUE} is enough), because handing an undeclared load balancer to the driver
 * directly is how the kit provokes a refusal that every driver can produce.
 */
public abstract class DriverConformanceKit {

    private TestReporter reporter;

    /** For subclasses. */
    protected DriverConformanceKit() {
    }

    /**
     * Keeps the current test's reporter, where the rules publish the variation the driver showed.
     *
     * @param current JUnit's reporter for the group about to run
     */
    @BeforeEach
    public final void keepReporter(TestReporter current) {
        this.reporter = current;
    }

    /**
     * Creates the driver under test from the environment's seams. Called once per rule (and per
     * case of a rule), with a fresh environment; the kit closes the driver afterwards.
     *
     * @param env the shell executor, directory and clock the driver must use
     * @return a new driver
     */
    protected abstract LoadBalancerDriver createDriver(ConformanceEnvironment env);

    /**
     * Returns the name the driver's provider is registered under, to check its registration.
     * Override it: the default, empty, skips the registration group (and only that group).
     *
     * @return the provider name, such as {@code haproxy-ns}
     */
    protected Optional<String> providerName() {
        return Optional.empty();
    }

    /**
     * Returns how to kill a running load balancer's data plane the way a crash would (for a
     * process-based driver: {@code kill -9} of its process), for the probe-and-repair group. The
     * function receives the driver {@link #createDriver} returned and a pool id that runs. Override
     * it: the default, empty, skips that group (and only that group).
     *
     * @return the crash, if the test can cause one
     */
    protected Optional<BiConsumer<LoadBalancerDriver, UUID>> crasher() {
        return Optional.empty();
    }

    /** The rules of one group, each opening its own run of this kit's driver. */
    private Stream<DynamicNode> group(String name, Object contract, Class<?> type) {
        TestReporter reporter = this.reporter;
        return Rules.of(name, contract, type, () -> ConformanceRun.open(this::createDriver, providerName(), crasher()), reporter);
    }

    // =================================================================== groups

    /**
     * The rules of {@link RegistrationContract} (registration, skipped unless {@link #providerName()} is overridden), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("The provider is registered and found by its name")
    public final Stream<DynamicNode> theProviderIsRegistered() {
        return group("The provider is registered and found by its name", new RegistrationContract() { }, RegistrationContract.class);
    }

    /**
     * The rules of {@link CapabilitiesContract} (capabilities), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Declared capabilities are honoured")
    public final Stream<DynamicNode> declaredCapabilitiesAreHonoured() {
        return group("Declared capabilities are honoured", new CapabilitiesContract() { }, CapabilitiesContract.class);
    }

    /**
     * The rules of {@link LifecycleContract} (lifecycle), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Every object goes through its full v1 lifecycle")
    public final Stream<DynamicNode> everyObjectGoesThroughItsLifecycle() {
        return group("Every object goes through its full v1 lifecycle", new LifecycleContract() { }, LifecycleContract.class);
    }

    /**
     * The rules of {@link IdempotencyContract} (idempotency), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Every driver operation is idempotent")
    public final Stream<DynamicNode> everyOperationIsIdempotent() {
        return group("Every driver operation is idempotent", new IdempotencyContract() { }, IdempotencyContract.class);
    }

    /**
     * The rules of {@link OldAndNewContract} (previous and desired states), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Updates receive the correct old and new objects")
    public final Stream<DynamicNode> updatesReceiveOldAndNew() {
        return group("Updates receive the correct old and new objects", new OldAndNewContract() { }, OldAndNewContract.class);
    }

    /**
     * The rules of {@link StatusTransitionsContract} (status transitions and member health), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Status transitions end in ACTIVE, DISABLED or ERROR and never stay PENDING")
    public final Stream<DynamicNode> statusesEndFinal() {
        return group("Status transitions end in ACTIVE, DISABLED or ERROR and never stay PENDING", new StatusTransitionsContract() { }, StatusTransitionsContract.class);
    }

    /**
     * The rules of {@link StatisticsContract} (statistics), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Statistics are never negative and only grow between resets")
    public final Stream<DynamicNode> statisticsOnlyGrow() {
        return group("Statistics are never negative and only grow between resets", new StatisticsContract() { }, StatisticsContract.class);
    }

    /**
     * The rules of {@link ReconcileContract} (reconcile), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Reconcile removes exactly the orphans")
    public final Stream<DynamicNode> reconcileRemovesExactlyTheOrphans() {
        return group("Reconcile removes exactly the orphans", new ReconcileContract() { }, ReconcileContract.class);
    }

    /**
     * The rules of {@link ProbeAndRepairContract} (probe and repair, skipped unless {@link #crasher()} is overridden), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Probe reports a crashed load balancer and repair serves it again")
    public final Stream<DynamicNode> probeAndRepairServeAgain() {
        return group("Probe reports a crashed load balancer and repair serves it again", new ProbeAndRepairContract() { }, ProbeAndRepairContract.class);
    }

    /**
     * The rules of {@link ErrorsContract} (errors), one dynamic test each.
     *
     * @return the rules
     */
    @TestFactory
    @DisplayName("Errors carry a message for the tenant and one for the operator")
    public final Stream<DynamicNode> errorsCarryBothMessages() {
        return group("Errors carry a message for the tenant and one for the operator", new ErrorsContract() { }, ErrorsContract.class);
    }
}

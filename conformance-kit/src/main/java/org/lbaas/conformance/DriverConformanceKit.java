package org.lbaas.conformance;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Each group is an interface of default test methods ({@link RegistrationContract},
 * {@link CapabilitiesContract}, ...), composed here as a {@code @Nested} class, the way
 * Micrometer's compatibility kit composes its groups; the methods receive the current test's
 * {@link ConformanceRun} (environment, checked driver, service) as a parameter.
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
@ExtendWith(ConformanceRun.Resolver.class)
public abstract class DriverConformanceKit {

    private ConformanceRun run;

    /** For subclasses. */
    protected DriverConformanceKit() {
    }

    /**
     * Creates the driver under test from the environment's seams. Called once per test, with a
     * fresh environment; the kit closes the driver afterwards.
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

    /** Creates the environment and the driver. */
    @BeforeEach
    protected final void openConformanceEnvironment() {
        run = ConformanceRun.open(this::createDriver, providerName(), crasher());
    }

    /** Stops the service, removes what runs, closes the driver and the environment; then reports contract breaches. */
    @AfterEach
    protected final void closeConformanceEnvironment() {
        ConformanceRun current = run;
        run = null;
        if (current != null) {
            // null when createDriver failed: its exception already fails the test
            current.close();
        }
    }

    /** The current test's run, for {@link ConformanceRun.Resolver}. */
    final ConformanceRun run() {
        if (run == null) {
            throw new IllegalStateException("no conformance test is running");
        }
        return run;
    }

    // =================================================================== groups

    /** The provider is registered and found by name. */
    @Nested
    @DisplayName("The provider is registered and found by its name")
    public class Registration implements RegistrationContract {

        /** Created by JUnit. */
        public Registration() {
        }
    }

    /** Declared capabilities are honoured. */
    @Nested
    @DisplayName("Declared capabilities are honoured")
    public class DeclaredCapabilities implements CapabilitiesContract {

        /** Created by JUnit. */
        public DeclaredCapabilities() {
        }
    }

    /** Every object goes through its full v1 lifecycle through the service. */
    @Nested
    @DisplayName("Every object goes through its full v1 lifecycle")
    public class Lifecycle implements LifecycleContract {

        /** Created by JUnit. */
        public Lifecycle() {
        }
    }

    /** Every driver operation is idempotent. */
    @Nested
    @DisplayName("Every driver operation is idempotent")
    public class Idempotency implements IdempotencyContract {

        /** Created by JUnit. */
        public Idempotency() {
        }
    }

    /** Updates receive the correct previous and desired states. */
    @Nested
    @DisplayName("Updates receive the correct old and new objects")
    public class OldAndNew implements OldAndNewContract {

        /** Created by JUnit. */
        public OldAndNew() {
        }
    }

    /** Statuses end final. */
    @Nested
    @DisplayName("Status transitions end in ACTIVE, DISABLED or ERROR and never stay PENDING")
    public class StatusTransitions implements StatusTransitionsContract {

        /** Created by JUnit. */
        public StatusTransitions() {
        }
    }

    /** Statistics behave. */
    @Nested
    @DisplayName("Statistics are never negative and only grow between resets")
    public class Statistics implements StatisticsContract {

        /** Created by JUnit. */
        public Statistics() {
        }
    }

    /** Reconcile removes exactly the orphans. */
    @Nested
    @DisplayName("Reconcile removes exactly the orphans")
    public class Reconcile implements ReconcileContract {

        /** Created by JUnit. */
        public Reconcile() {
        }
    }

    /** Probe and repair, when the test can crash a load balancer. */
    @Nested
    @DisplayName("Probe reports a crashed load balancer and repair serves it again")
    public class ProbeAndRepair implements ProbeAndRepairContract {

        /** Created by JUnit. */
        public ProbeAndRepair() {
        }
    }

    /** Errors carry both messages. */
    @Nested
    @DisplayName("Errors carry a message for the tenant and one for the operator")
    public class Errors implements ErrorsContract {

        /** Created by JUnit. */
        public Errors() {
        }
    }
}

package org.lbaas.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.lbaas.driver.spi.ApplyResult;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.ForwardingDriver;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.Observation;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.MemberHealth;
import org.lbaas.model.MonitorType;
import org.lbaas.model.PoolStats;
import org.lbaas.driver.memory.InMemoryDriver;
import org.lbaas.driver.memory.InMemoryDriverProvider;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The kit is not vacuous: run against drivers that each break one rule, it fails exactly the
 * tests named for that rule (and the reference driver, run the same way, fails nothing).
 */
class ConformanceKitSelfTest {

    /**
     * What running a test class on the JUnit Platform showed: the failed tests with their first
     * failure, keyed by the rule (a kit's test: the display name of the rule, also when one of
     * its cases failed) or by the method (a jqwik property); and the classes the kit's group
     * factories were reported under.
     */
    record Outcome(Map<String, Throwable> failed, Set<String> reportedUnder, List<String> ran) {
    }

    /** Runs a test class on the JUnit Platform and returns the failed tests with their first failure. */
    static Map<String, Throwable> failures(Class<?> testClass) {
        return run(testClass).failed();
    }

    static Outcome run(Class<?> testClass) {
        // jqwik's failure database goes to target/, not the working directory; failing properties
        // are not shrunk (the self-test only needs to see that they fail).
        Path classes = Path.of(System.getProperty("lbaas.build.outputDirectory", "target/classes"));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .configurationParameter("jqwik.database", classes.resolveSibling("jqwik-selftest-database").toString())
                .configurationParameter("jqwik.shrinking.default", "OFF")
                .build();
        Launcher launcher = LauncherFactory.create();
        Map<String, Throwable> failed = new TreeMap<>();
        List<String> ran = new ArrayList<>();
        Set<String> under = new java.util.TreeSet<>();
        Map<String, TestIdentifier> known = new java.util.concurrent.ConcurrentHashMap<>();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void testPlanExecutionStarted(org.junit.platform.launcher.TestPlan plan) {
                plan.getRoots().forEach(r -> {
                    known.put(r.getUniqueId(), r);
                    plan.getDescendants(r).forEach(d -> known.put(d.getUniqueId(), d));
                });
            }

            @Override
            public void dynamicTestRegistered(TestIdentifier id) {
                known.put(id.getUniqueId(), id);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    return;
                }
                String key = DriverContract.class.isAssignableFrom(testClass)
                        ? id.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                                .map(MethodSource::getMethodName).orElse(id.getDisplayName())
                        : ruleOf(id, known, under);
                synchronized (ran) {
                    ran.add(key);
                    if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                        failed.putIfAbsent(key, result.getThrowable().orElse(new AssertionError("no throwable")));
                    }
                }
            }
        });
        assertTrue(ran.size() >= 4, "the launcher ran only " + ran);
        return new Outcome(failed, under, ran);
    }

    /**
     * The rule a kit's dynamic test belongs to: the node right below its group's factory method
     * (the test itself, or the container of a rule with cases); notes the class the factory was
     * reported under.
     */
    private static String ruleOf(TestIdentifier id, Map<String, TestIdentifier> known, Set<String> under) {
        TestIdentifier node = id;
        while (true) {
            TestIdentifier parent = node.getParentId().map(known::get).orElse(null);
            TestIdentifier grandParent = parent == null ? null : parent.getParentId().map(known::get).orElse(null);
            if (grandParent == null) {
                return id.getDisplayName();
            }
            if (grandParent.getSource().filter(org.junit.platform.engine.support.descriptor.ClassSource.class::isInstance).isPresent()) {
                // parent is the group's factory method, node the rule
                parent.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast).ifPresent(factory -> {
                    synchronized (under) {
                        under.add(factory.getClassName());
                    }
                });
                return node.getDisplayName();
            }
            node = parent;
        }
    }

    /**
     * The rule a check of the kit enforces, as its test is named: the display name of the check
     * method, named {@code method} or, where two groups have one of that name, {@code Group#method}.
     */
    static String rule(String check) {
        String checkMethod = check.substring(check.indexOf('#') + 1);
        String groupName = check.contains("#") ? check.substring(0, check.indexOf('#')) : null;
        List<String> rules = new ArrayList<>();
        for (Class<?> group : List.of(RegistrationContract.class, CapabilitiesContract.class, LifecycleContract.class,
                IdempotencyContract.class, OldAndNewContract.class, StatusTransitionsContract.class, StatisticsContract.class,
                ReconcileContract.class, ProbeAndRepairContract.class, ErrorsContract.class)) {
            for (java.lang.reflect.Method m : Rules.methods(group, Check.class)) {
                if (m.getName().equals(checkMethod) && (groupName == null || group.getSimpleName().equals(groupName))) {
                    rules.add(Rules.rule(m));
                }
            }
        }
        assertEquals(1, rules.size(), "checks named " + checkMethod + ": " + rules);
        return rules.get(0);
    }

    private static void assertFails(Class<?> kit, Set<String> expectedChecks, String because) {
        Outcome outcome = run(kit);
        Map<String, Throwable> failed = outcome.failed();
        Set<String> expected = expectedChecks.stream().map(ConformanceKitSelfTest::rule).collect(Collectors.toSet());
        Set<String> missing = expected.stream().filter(m -> !failed.containsKey(m)).collect(Collectors.toSet());
        assertEquals(Set.of(), missing, because + ": these rules should have failed; failed were " + failed.keySet());
        for (String m : expected) {
            Throwable t = failed.get(m);
            assertTrue(t.getCause() instanceof AssertionError, m + " failed by " + t.getCause() + " rather than by an assertion");
            assertTrue(t.getMessage().contains(Rules.SEPARATOR + m), "the failure names the rule it broke, " + m + ": " + t.getMessage());
        }
        assertEquals(Set.of(kit.getName()), outcome.reportedUnder(), "the kit's tests are reported under the vendor's class");
    }

    /** Asserts that running a test class fails the named test (by any failure, not only by an assertion). */
    private static void assertFailsAmong(Class<?> testClass, String test, String what) {
        Map<String, Throwable> failed = failures(testClass);
        String key = DriverContract.class.isAssignableFrom(testClass) ? test : rule(test);
        assertTrue(failed.containsKey(key), what + " failures: " + failed.keySet());
    }

    @Test
    @DisplayName("the reference driver fails nothing when run by the launcher")
    void referencePasses() {
        assertEquals(Map.of(), failures(Reference.class));
    }

    @Test
    @DisplayName("the reference driver declaring two instance addresses (an active/standby pair) fails nothing")
    void referenceWithInstanceAddressesPasses() {
        assertEquals(Map.of(), failures(ReferencePair.class));
        assertEquals(Map.of(), failures(ReferencePairContract.class));
    }

    @Test
    @DisplayName("a driver declaring two instance addresses but handed none by the kit would refuse: the kit hands them")
    void directShapesCarryTheDeclaredAddresses() {
        try (ConformanceEnvironment env = ConformanceEnvironment.create()) {
            InMemoryDriver pair = new InMemoryDriverProvider().create(env.config().with("instance_addresses", "2"));
            Shapes shapes = new Shapes(pair.capabilities());
            LoadBalancer first = shapes.deployable(1);
            LoadBalancer second = shapes.deployable(1);
            assertEquals(2, first.instanceAddresses().size());
            assertEquals(List.of(), pair.capabilities().unsupported(first));
            assertEquals(List.of("instance_addresses"), pair.capabilities().unsupported(first.withInstanceAddresses(List.of()))
                    .stream().map(org.lbaas.model.Violation::path).toList());
            Set<Object> addresses = new java.util.HashSet<>();
            for (LoadBalancer lb : List.of(first, second)) {
                addresses.add(lb.vip().orElseThrow().address());
                addresses.addAll(lb.instanceAddresses());
            }
            assertEquals(6, addresses.size(), "VIPs and instance addresses of two load balancers are distinct: " + addresses);
            assertEquals(List.of(), Shapes.withoutVip(first).instanceAddresses());
        }
    }

    @Test
    @DisplayName("a driver that reloads on every apply fails idempotency, in the kit and in the contract")
    void repeatsDeploys() {
        assertFails(RepeatsDeploys.class, Set.of("applyTwice"), "a second apply of the same state reports RELOADED");
        assertFailsAmong(RepeatsDeploysContract.class, "applyingTwiceEqualsApplyingOnce", "contract");
    }

    @Test
    @DisplayName("a broken driver's failure is a test of the vendor's class named by the rule, and its message starts with group and rule")
    void failureNamesItsRule() {
        Outcome outcome = run(RepeatsDeploys.class);
        String rule = "applying the same desired state twice changes nothing the second time";
        assertEquals(Set.of(RepeatsDeploys.class.getName()), outcome.reportedUnder(), "the class the kit's tests are reported under");
        assertTrue(outcome.ran().size() > 30, "the vendor's class runs every rule as its own test: " + outcome.ran().size());
        assertTrue(outcome.ran().contains(rule("memberHealth")),
                "member health is a rule of its own: " + outcome.ran());
        Throwable failure = outcome.failed().get(rule);
        assertTrue(failure != null, "the rule's test failed: " + outcome.failed().keySet());
        assertTrue(failure.getMessage().startsWith("Every driver operation is idempotent › " + rule + ": "), failure.getMessage());
        assertTrue(failure.getMessage().contains("RELOADED"), "the driver's answer is in the message: " + failure.getMessage());

        Throwable leak = run(LeaksPaths.class).failed().get(rule("brokenEnvironmentDirectly"));
        assertTrue(leak.getMessage().startsWith("Errors carry a message for the tenant and one for the operator › "
                + rule("brokenEnvironmentDirectly") + " › "), "a rule with cases names the case too: " + leak.getMessage());
    }

    @Test
    @DisplayName("a driver whose reconcile keeps orphans fails the reconcile group")
    void keepsOrphans() {
        assertFails(KeepsOrphans.class, Set.of("removesExactlyTheOrphan", "nothingDesired"), "orphans stay");
    }

    @Test
    @DisplayName("a driver that runs whatever it is handed, beyond its declared capabilities, fails the errors group")
    void trustsItsCaller() {
        assertFails(TrustsItsCaller.class, Set.of("refusedBeyondCapabilities", "refusedChangeKeepsServing"),
                "undeclared features are accepted");
    }

    @Test
    @DisplayName("a driver that lets an IOException escape fails when the environment breaks")
    void leaksExceptions() {
        assertFailsAmong(LeaksExceptions.class, "brokenEnvironmentDirectly", "kit");
    }

    @Test
    @DisplayName("a driver that shows host paths to tenants fails the errors group")
    void leaksPaths() {
        assertFails(LeaksPaths.class, Set.of("brokenEnvironmentDirectly", "ErrorsContract#throughTheService"), "tenant messages name host paths");
    }

    @Test
    @DisplayName("a driver whose counters shrink without a reset fails the statistics group")
    void shrinkingCounters() {
        assertFails(ShrinkingCounters.class, Set.of("monotonic"), "counters go down");
    }

    @Test
    @DisplayName("a driver that does not report admin-down members fails the lifecycle and the contract")
    void hidesAdminDownMembers() {
        assertFails(HidesAdminDownMembers.class, Set.of("fullLifecycle", "adminDownIsDisabled", "memberHealth"), "members missing");
        assertFailsAmong(HidesAdminDownMembersContract.class, "memberChangesConverge", "contract");
    }

    // ---------------------------------------------------------------- drivers under test

    static InMemoryDriver inMemory(ConformanceEnvironment env) {
        return new InMemoryDriverProvider().create(env.config().with("max_members", "20"));
    }

    @Test
    @DisplayName("a driver whose repair does not bring a crashed load balancer back fails the probe-and-repair group")
    void forgetsToRepair() {
        assertFails(ForgetsToRepair.class, Set.of("repairServesAgain", "serviceHealsByItself"),
                "a crashed load balancer stays down after repair");
    }

    static class ForgetsToRepair extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Wrapper(inMemory(env)) {
                @Override
                public ApplyResult repair(LoadBalancer desired) {
                    return ApplyResult.of(ApplyResult.Action.UNCHANGED);
                }
            };
        }

        @Override
        protected Optional<java.util.function.BiConsumer<LoadBalancerDriver, UUID>> crasher() {
            return Optional.of((driver, poolId) -> ((Wrapper) driver).delegate().crash(poolId));
        }
    }

    /** Forwards everything to an in-memory driver; each faulty driver overrides one behaviour. */
    static class Wrapper extends ForwardingDriver {
        private final InMemoryDriver memory;

        Wrapper(InMemoryDriver memory) {
            this.memory = memory;
        }

        @Override
        protected InMemoryDriver delegate() {
            return memory;
        }
    }

    /** A faulty driver that changes what {@code observe} reports: {@code observeAll} reports the same, through it. */
    abstract static class Observing extends Wrapper {
        Observing(InMemoryDriver memory) {
            super(memory);
        }

        /** The faulty observation, from the in-memory driver's correct one. */
        abstract Observation distort(Observation correct);

        @Override
        public final Optional<Observation> observe(UUID poolId) {
            return super.observe(poolId).map(this::distort);
        }

        @Override
        public final Map<UUID, Observation> observeAll(Collection<UUID> poolIds) {
            Map<UUID, Observation> out = new LinkedHashMap<>();
            super.observeAll(poolIds).forEach((id, o) -> out.put(id, distort(o)));
            return out;
        }
    }

    static class Reference extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return inMemory(env);
        }
    }

    /** The reference driver as a pair would declare itself: two instance addresses per load balancer. */
    static class ReferencePair extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new InMemoryDriverProvider().create(env.config().with("max_members", "20").with("instance_addresses", "2"));
        }
    }

    /** The contract properties against the same driver. */
    static class ReferencePairContract implements DriverContract {
        @Override
        public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new InMemoryDriverProvider().create(env.config().with("instance_addresses", "2"));
        }
    }

    static class RepeatsDeploys extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Reloading(inMemory(env));
        }
    }

    static class RepeatsDeploysContract implements DriverContract {
        @Override
        public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Reloading(inMemory(env));
        }
    }

    static final class Reloading extends Wrapper {
        Reloading(InMemoryDriver d) {
            super(d);
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            ApplyResult r = super.apply(previous, desired);
            return r.action() == ApplyResult.Action.UNCHANGED ? ApplyResult.of(ApplyResult.Action.RELOADED) : r;
        }
    }

    static class KeepsOrphans extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Wrapper(inMemory(env)) {
                @Override
                public ReconcileReport reconcile(Collection<LoadBalancer> desired) {
                    List<LoadBalancer> keep = new ArrayList<>(desired);
                    for (UUID id : delegate().runningIds()) {
                        if (desired.stream().noneMatch(lb -> lb.id().equals(id))) {
                            delegate().running(id).ifPresent(keep::add);
                        }
                    }
                    ReconcileReport r = delegate().reconcile(keep);
                    return new ReconcileReport(r.adopted(), r.repaired(), Set.of(), r.failed());
                }
            };
        }
    }

    static class TrustsItsCaller extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Wrapper(inMemory(env)) {
                @Override
                public Capabilities capabilities() {
                    Capabilities all = delegate().capabilities();
                    return new Capabilities(all.protocols(), all.lbMethods(), all.persistenceTypes(),
                            Set.of(MonitorType.TCP, MonitorType.HTTP), all.maxMembers(), all.maxMonitorsPerPool(), 5000,
                            all.ipv6());
                }
            };
        }
    }

    /** Writes one file per applied load balancer into the environment's directory. */
    abstract static class FileWriting extends Wrapper {
        final Path dir;

        FileWriting(InMemoryDriver d, Path dir) {
            super(d);
            this.dir = dir;
        }

        @Override
        public ApplyResult apply(Optional<LoadBalancer> previous, LoadBalancer desired) {
            Path file = dir.resolve(desired.id() + ".txt");
            try {
                Files.writeString(file, desired.toString());
            } catch (IOException e) {
                failed(file, e);
            }
            return super.apply(previous, desired);
        }

        abstract void failed(Path file, IOException e);
    }

    static class LeaksExceptions extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new FileWriting(inMemory(env), env.directory()) {
                @Override
                void failed(Path file, IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }

    static class LeaksPaths extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new FileWriting(inMemory(env), env.directory()) {
                @Override
                void failed(Path file, IOException e) {
                    throw new DriverException("could not write " + file, "writing " + file + ": " + e, true, e);
                }
            };
        }
    }

    static class ShrinkingCounters extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Observing(inMemory(env)) {
                @Override
                Observation distort(Observation o) {
                    return new Observation(new PoolStats(
                            Math.max(0, 1_000_000_000L - o.stats().bytesIn()), o.stats().bytesOut(), o.stats().activeConnections(),
                            o.stats().totalConnections()), o.memberHealth(), false);
                }
            };
        }
    }

    static final class Hiding extends Observing {
        Hiding(InMemoryDriver d) {
            super(d);
        }

        @Override
        Observation distort(Observation o) {
            return new Observation(o.stats(), o.memberHealth().entrySet().stream()
                    .filter(e -> e.getValue() != MemberHealth.MAINT)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), o.countersReset());
        }
    }

    static class HidesAdminDownMembers extends DriverConformanceKit {
        @Override
        protected LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Hiding(inMemory(env));
        }
    }

    static class HidesAdminDownMembersContract implements DriverContract {
        @Override
        public LoadBalancerDriver createDriver(ConformanceEnvironment env) {
            return new Hiding(inMemory(env));
        }
    }
}

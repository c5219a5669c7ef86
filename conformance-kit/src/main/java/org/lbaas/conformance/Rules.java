package org.lbaas.conformance;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns a contract group (an interface of {@link Check} methods) into dynamic tests of the
 * vendor's class, each named by the rule it enforces (its {@code @DisplayName}) and each with a
 * fresh {@link ConformanceRun}, and makes every failure say which rule broke: its message starts
 * with {@code group › rule [› case]:}, so that the rule shows in any report, also one that prints
 * only method names and messages (as Maven Surefire does by default).
 */
final class Rules {

    /** The separator between group, rule and case in a failure message. */
    static final String SEPARATOR = " › ";

    private Rules() {
    }

    /** Something done with a run that may fail as a test does. */
    @FunctionalInterface
    private interface WithRun<T> {
        T apply(ConformanceRun run) throws Throwable;
    }

    /**
     * The rules of one group as dynamic tests (a rule with cases as a container of them).
     *
     * @param group the group's name, as the kit shows it
     * @param contract an instance of the group's interface, whose default methods are the checks
     * @param type the group's interface
     * @param opener opens a fresh run (environment and driver) for one rule or case
     * @param reporter where checks publish the variation a driver showed
     */
    static Stream<DynamicNode> of(String group, Object contract, Class<?> type, Supplier<ConformanceRun> opener,
                                  TestReporter reporter) {
        List<Method> preconditions = methods(type, Precondition.class);
        return methods(type, Check.class).stream().map(m -> node(group, contract, m, preconditions, opener, reporter));
    }

    /** The methods of a group with that annotation, in a stable order. */
    static List<Method> methods(Class<?> type, Class<? extends Annotation> annotation) {
        return Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(annotation))
                .sorted(Comparator.comparing(Method::getName)).toList();
    }

    /** The rule a check enforces: its display name. */
    static String rule(Method check) {
        DisplayName name = check.getAnnotation(DisplayName.class);
        if (name == null || name.value().isBlank()) {
            throw new IllegalStateException(check + " is a check without a @DisplayName: the rule it enforces has no name");
        }
        return name.value();
    }

    private static DynamicNode node(String group, Object contract, Method check, List<Method> preconditions,
                                    Supplier<ConformanceRun> opener, TestReporter reporter) {
        String rule = rule(check);
        String where = group + SEPARATOR + rule;
        if (check.getReturnType() == void.class) {
            return DynamicTest.dynamicTest(rule, attributed(where, () -> withRun(opener, run -> {
                preconditions(contract, preconditions, run, reporter);
                return invoke(contract, check, run, reporter);
            })));
        }
        // A rule with cases: which cases there are depends on the driver (its capabilities), so a
        // run lists them, and each case then runs on a fresh run of its own.
        Supplier<Stream<DynamicNode>> cases = () -> {
            List<String> names;
            try {
                names = withRun(opener, run -> {
                    preconditions(contract, preconditions, run, reporter);
                    return cases(contract, check, run, reporter).stream().map(DynamicTest::getDisplayName).toList();
                });
            } catch (Throwable t) {
                throw sneaky(attribute(where, t));
            }
            return IntStream.range(0, names.size()).mapToObj(i -> DynamicTest.dynamicTest(names.get(i),
                    attributed(where + SEPARATOR + names.get(i), () -> withRun(opener, run -> {
                        preconditions(contract, preconditions, run, reporter);
                        List<DynamicTest> now = cases(contract, check, run, reporter);
                        if (now.size() != names.size() || !now.get(i).getDisplayName().equals(names.get(i))) {
                            throw new AssertionFailedError("the driver's capabilities changed between two drivers made by"
                                    + " createDriver: the cases were " + names + ", now "
                                    + now.stream().map(DynamicTest::getDisplayName).toList());
                        }
                        now.get(i).getExecutable().execute();
                        return null;
                    }))));
        };
        return DynamicContainer.dynamicContainer(rule, Stream.of(cases).flatMap(Supplier::get));
    }

    private static List<DynamicTest> cases(Object contract, Method check, ConformanceRun run, TestReporter reporter)
            throws Throwable {
        Object made = invoke(contract, check, run, reporter);
        if (!(made instanceof Stream<?> stream)) {
            throw new IllegalStateException(check + " returned " + made + ", not a stream of dynamic tests");
        }
        try (stream) {
            return stream.map(DynamicTest.class::cast).toList();
        }
    }

    private static void preconditions(Object contract, List<Method> preconditions, ConformanceRun run, TestReporter reporter)
            throws Throwable {
        for (Method p : preconditions) {
            invoke(contract, p, run, reporter);
        }
    }

    private static Object invoke(Object contract, Method method, ConformanceRun run, TestReporter reporter) throws Throwable {
        Object[] args = Arrays.stream(method.getParameterTypes()).map(t -> {
            if (t == ConformanceRun.class) {
                return run;
            } else if (t == TestReporter.class) {
                return reporter;
            }
            throw new IllegalStateException(method + " asks for a " + t.getName() + ", which the kit does not hand to checks");
        }).toArray();
        try {
            return method.invoke(contract, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Opens a run, does the work, closes the run (which reports contract breaches seen), also after a failure. */
    private static <T> T withRun(Supplier<ConformanceRun> opener, WithRun<T> work) throws Throwable {
        ConformanceRun run = opener.get();
        T result;
        try {
            result = work.apply(run);
        } catch (Throwable t) {
            try {
                run.close();
            } catch (Throwable suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
        run.close();
        return result;
    }

    private static Executable attributed(String where, Executable check) {
        return () -> {
            try {
                check.execute();
            } catch (Throwable t) {
                throw attribute(where, t);
            }
        };
    }

    /**
     * The failure of a check, as the vendor reads it: an assertion's message prefixed with the
     * rule (expected and actual kept), any other exception as an assertion failure of that rule
     * with it as the cause; a skip stays a skip.
     */
    static Throwable attribute(String where, Throwable t) {
        if (t instanceof TestAbortedException || t instanceof VirtualMachineError) {
            return t;
        }
        if (t instanceof AssertionFailedError f && (f.isExpectedDefined() || f.isActualDefined())) {
            return new AssertionFailedError(where + ": " + f.getMessage(), f.getExpected().getEphemeralValue(),
                    f.getActual().getEphemeralValue(), f);
        }
        if (t instanceof AssertionError) {
            return new AssertionFailedError(where + ": " + t.getMessage(), t);
        }
        return new AssertionFailedError(where + ": the check ended with " + t, t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}

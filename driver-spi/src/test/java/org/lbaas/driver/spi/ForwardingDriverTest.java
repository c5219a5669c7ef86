package org.lbaas.driver.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ForwardingDriverTest {

    /** One call the delegate received. */
    private record Call(Method method, List<Object> args) {
    }

    /** A delegate that records every call and answers with a fresh object of the return type. */
    private static final class Recorder {
        final List<Call> calls = new ArrayList<>();
        final Map<Method, Object> answers = new HashMap<>();
        final LoadBalancerDriver driver = (LoadBalancerDriver) Proxy.newProxyInstance(
                LoadBalancerDriver.class.getClassLoader(), new Class<?>[] {LoadBalancerDriver.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "toString" -> "recorder";
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> proxy == args[0];
                        };
                    }
                    calls.add(new Call(method, args == null ? List.of() : Arrays.asList(args)));
                    Object answer = answerFor(method.getReturnType());
                    answers.put(method, answer);
                    return answer;
                });
    }

    private static Object answerFor(Class<?> type) {
        if (type == void.class) {
            return null;
        } else if (type == ApplyResult.class) {
            return ApplyResult.of(ApplyResult.Action.RELOADED);
        } else if (type == Optional.class) {
            return Optional.of("observed");
        } else if (type == Map.class) {
            return Map.of(UUID.randomUUID(), "answer");
        } else if (type == ReconcileReport.class) {
            return new ReconcileReport(Set.of(UUID.randomUUID()), Set.of(), Set.of(), Map.of());
        } else if (type == Capabilities.class) {
            return Capabilities.everything(7, 3, 99);
        }
        throw new AssertionError("ForwardingDriverTest does not know how to answer a " + type.getName()
                + "; teach answerFor() the new SPI return type");
    }

    /** Distinct, recognisable arguments for a method's parameters (null is fine: the delegate only records them). */
    private static Object[] argumentsFor(Method m) {
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            Class<?> t = m.getParameterTypes()[i];
            args[i] = t == UUID.class ? UUID.randomUUID() : t == Optional.class ? Optional.empty()
                    : t == Collection.class ? List.of(UUID.randomUUID()) : null;
        }
        return args;
    }

    @Test
    void everyMethodOfTheSpiIsForwardedWithItsArgumentsAndResult() throws ReflectiveOperationException {
        Recorder recorder = new Recorder();
        ForwardingDriver forwarding = new ForwardingDriver() {
            @Override
            protected LoadBalancerDriver delegate() {
                return recorder.driver;
            }
        };
        List<Method> spi = Arrays.stream(LoadBalancerDriver.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
        assertTrue(spi.size() >= 9, "the SPI's methods: " + spi);
        for (Method m : spi) {
            Method own = ForwardingDriver.class.getMethod(m.getName(), m.getParameterTypes());
            assertEquals(ForwardingDriver.class, own.getDeclaringClass(),
                    m + " is not implemented by ForwardingDriver: it would run the interface's default, not the delegate's");
            recorder.calls.clear();
            Object[] args = argumentsFor(m);
            Object result;
            try {
                result = m.invoke(forwarding, args);
            } catch (InvocationTargetException e) {
                throw new AssertionError(m + " failed", e.getCause());
            }
            assertEquals(1, recorder.calls.size(), m + " reached the delegate " + recorder.calls.size() + " times: " + recorder.calls);
            Call call = recorder.calls.get(0);
            assertEquals(m, call.method(), "the call the delegate received for " + m);
            assertEquals(Arrays.asList(args), call.args(), "the arguments the delegate received for " + m);
            if (m.getReturnType() != void.class) {
                assertSame(recorder.answers.get(m), result, m + " must return the delegate's answer");
            }
        }
        assertTrue(spi.stream().map(Method::getName).collect(Collectors.toSet()).containsAll(Set.of("capabilities", "apply",
                "remove", "observe", "observeAll", "probe", "repair", "reconcile", "close")),
                "reflection must see the SPI's abstract, default and inherited methods: " + spi);
    }

    @Test
    void aSubclassChangesOnlyWhatItOverrides() {
        Recorder recorder = new Recorder();
        ForwardingDriver quiet = new ForwardingDriver() {
            @Override
            protected LoadBalancerDriver delegate() {
                return recorder.driver;
            }

            @Override
            public Map<UUID, String> probe(Collection<UUID> poolIds) {
                return Map.of();
            }
        };
        assertEquals(Map.of(), quiet.probe(List.of(UUID.randomUUID())));
        assertEquals(List.of(), recorder.calls, "an overridden method does not reach the delegate");
        UUID id = UUID.randomUUID();
        assertNotEquals(Map.of(), quiet.observeAll(List.of(id)), "observeAll still reaches the delegate");
        assertEquals("observeAll", recorder.calls.get(0).method().getName());
        assertTrue(quiet.toString().contains("recorder"), quiet.toString());
    }
}

package org.lbaas.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.lbaas.model.HealthMonitor;

/**
 * A repository ({@link #repository}) over an in-memory one ({@link #inner}) whose saves fail with
 * "disk full" while {@link #failing} is set; counts save attempts. Deletes and loads pass through.
 */
final class FlakyRepository {

    final Repository inner = Repository.inMemory();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger saves = new AtomicInteger();
    final Repository repository = (Repository) Proxy.newProxyInstance(Repository.class.getClassLoader(),
            new Class<?>[] {Repository.class}, (proxy, method, args) -> {
                if (method.getName().equals("save")) {
                    saves.incrementAndGet();
                    if (failing.get()) {
                        throw args[0] instanceof HealthMonitor m
                                ? new StorageException(ObjectKind.HEALTH_MONITOR, m.id().toString(), "disk full", null)
                                : new StorageException(ObjectKind.POOL, ((StoredLoadBalancer) args[0]).id().toString(),
                                        "disk full", null);
                    }
                }
                try {
                    return method.invoke(inner, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
}

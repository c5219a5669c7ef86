package org.lbaas.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Counts the failures of a service's API calls ({@link ServiceMetrics#failed}): a proxy of
 * {@link LoadBalancerService} that forwards every call and rethrows what it threw unchanged.
 */
final class MeteredService {

    private MeteredService() {
    }

    static LoadBalancerService wrap(LoadBalancerService service, ServiceMetrics metrics) {
        return (LoadBalancerService) Proxy.newProxyInstance(LoadBalancerService.class.getClassLoader(),
                new Class<?>[] {LoadBalancerService.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(service, args);
                    } catch (InvocationTargetException e) {
                        metrics.failed(e.getCause());
                        throw e.getCause();
                    }
                });
    }
}

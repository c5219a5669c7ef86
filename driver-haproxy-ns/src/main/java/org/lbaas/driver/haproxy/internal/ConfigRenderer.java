package org.lbaas.driver.haproxy.internal;

import org.lbaas.model.LoadBalancer;

/**
 * Turns a load balancer into the text of an HAProxy 2.6 configuration: the seam between the
 * data plane (which owns processes, files and namespaces) and the configuration language.
 *
 * <p>Contract the data plane relies on:
 * <ul>
 *   <li>deterministic: the same load balancer and files give the same text, byte for byte (the
 *       driver compares renderings with the running file to decide that nothing changed and to
 *       adopt running instances);</li>
 *   <li>the global section declares {@code stats socket <files.socket()> mode 600 level admin
 *       expose-fd listeners} (runtime API, listener transfer on reload) and no {@code daemon}
 *       or {@code pidfile} (the driver passes {@code -D} and {@code -p});</li>
 *   <li>the pool's members live in one backend, one {@code server} line each, named by the
 *       member id ({@link java.util.UUID#toString()}), on one line, with the keywords in the
 *       same order whatever changed; a member whose admin state is down is kept with the
 *       keyword {@code disabled}; the runtime API path diffs {@code server} lines, so member-only
 *       changes must touch nothing but those lines;</li>
 *   <li>the text passes {@code haproxy -dW -c -f}.</li>
 * </ul>
 */
public interface ConfigRenderer {

    /**
     * Renders the configuration of a deployable load balancer.
     *
     * @param lb the load balancer ({@link LoadBalancer#isDeployable()} is true)
     * @param files where the instance's socket and other files are
     * @return the configuration text
     */
    String render(LoadBalancer lb, InstanceFiles files);
}

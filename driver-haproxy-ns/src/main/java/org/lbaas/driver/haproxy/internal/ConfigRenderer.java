package org.lbaas.driver.haproxy.internal;

import org.lbaas.driver.haproxy.internal.config.PeerSet;

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

    /**
     * Renders the configuration of one instance of a pair, whose stick tables replicate to its
     * peers ({@code peers} section, {@code localpeer}). A renderer that cannot write peers refuses
     * a present peer set.
     *
     * @param lb the load balancer
     * @param files the instance's files
     * @param peers the instance's peers, empty for a single instance
     * @return the configuration text
     * @throws UnsupportedOperationException when {@code peers} is present and this renderer writes none
     */
    default String render(LoadBalancer lb, InstanceFiles files, java.util.Optional<PeerSet> peers) {
        if (peers.isPresent()) {
            throw new UnsupportedOperationException("this renderer writes no peers section");
        }
        return render(lb, files);
    }
}

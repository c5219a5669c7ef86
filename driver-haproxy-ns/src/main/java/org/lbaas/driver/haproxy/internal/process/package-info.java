/**
 * HAProxy process control of the haproxy-ns driver, not exported: starting an instance's HAProxy
 * in its namespace (and reloading it with {@code -sf}), waiting until it serves, stopping it
 * gracefully, the one test of which processes are an instance's, and the file-only probe.
 */
package org.lbaas.driver.haproxy.internal.process;

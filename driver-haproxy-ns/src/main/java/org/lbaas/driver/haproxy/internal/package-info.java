/**
 * Internals of the haproxy-ns driver, not exported: instance identity and files, the
 * configuration-renderer seam, the host view (namespaces, devices, processes) and atomic files.
 */
package org.lbaas.driver.haproxy.internal;

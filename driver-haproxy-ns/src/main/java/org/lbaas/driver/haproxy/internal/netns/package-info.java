/**
 * Namespace plumbing of the haproxy-ns driver, not exported: network namespaces, the VIP's
 * device through an interface driver, addresses and routes, and undoing them.
 */
package org.lbaas.driver.haproxy.internal.netns;

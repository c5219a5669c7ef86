/**
 * The reference driver: one HAProxy process per load balancer, configured from the model and run inside its own Linux network namespace.
 */
package org.lbaas.driver.haproxy;

/**
 * The contract between the lbaas service and a load-balancer driver: what a driver implements, what it receives and what it may report back.
 */
package org.lbaas.driver.spi;

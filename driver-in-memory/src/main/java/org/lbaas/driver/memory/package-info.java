/**
 * The {@code in-memory} driver: a reference implementation of the driver contract without a data
 * plane, for trying lbaas and testing code that uses it without HAProxy.
 * {@link org.lbaas.driver.memory.InMemoryDriverProvider} is its provider.
 */
package org.lbaas.driver.memory;

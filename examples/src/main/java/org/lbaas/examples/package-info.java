/**
 * The example {@code json-files} driver: {@link org.lbaas.examples.JsonFileDriverProvider} is its
 * provider; the driver itself is package-private.
 */
package org.lbaas.examples;

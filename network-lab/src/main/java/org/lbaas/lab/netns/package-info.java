/**
 * Real network test fixtures: {@link org.lbaas.lab.netns.NetnsTopology} builds a bridge,
 * backend namespaces and a client namespace on a private benchmarking subnet, runs commands and
 * HTTP requests inside them and removes everything it created. Needs root, {@code ip} (iproute2)
 * and {@code curl}.
 */
package org.lbaas.lab.netns;

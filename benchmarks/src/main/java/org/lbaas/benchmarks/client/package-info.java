/**
 * The harnesses' HTTP client in the client namespace: {@link org.lbaas.benchmarks.client.ClientAgent}
 * (a small JVM speaking a line protocol) and {@link org.lbaas.benchmarks.client.AgentProcess}
 * (starts it there and talks to it).
 */
package org.lbaas.benchmarks.client;

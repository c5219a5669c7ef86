/**
 * The data-plane benchmark: the {@code haproxy-ns} driver's create-to-serving, reload and runtime
 * API changes measured against the naive shell sequence in one run, and failed requests counted
 * while changes are applied under load ({@link org.lbaas.benchmarks.dataplane.DataPlaneHarness}).
 */
package org.lbaas.benchmarks.dataplane;

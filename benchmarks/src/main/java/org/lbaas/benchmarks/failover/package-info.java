/**
 * The failover benchmark: failures injected into the active instance of active/standby load
 * balancers of the {@code haproxy-ns} driver under client load, with the time until the VIP serves
 * again, failed requests and kept session persistence
 * ({@link org.lbaas.benchmarks.failover.FailoverHarness}).
 */
package org.lbaas.benchmarks.failover;

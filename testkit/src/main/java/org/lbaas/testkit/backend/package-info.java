/**
 * A real HTTP backend for load-balancer tests ({@link org.lbaas.testkit.backend.TestBackend}),
 * runnable in this JVM or as a small separate JVM inside a network namespace
 * ({@link org.lbaas.testkit.backend.TestBackendProcess}).
 */
package org.lbaas.testkit.backend;

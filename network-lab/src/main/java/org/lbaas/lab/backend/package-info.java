/**
 * A real HTTP backend for load-balancer tests ({@link org.lbaas.lab.backend.TestBackend}),
 * runnable in this JVM or as a small separate JVM inside a network namespace
 * ({@link org.lbaas.lab.backend.TestBackendProcess}).
 */
package org.lbaas.lab.backend;

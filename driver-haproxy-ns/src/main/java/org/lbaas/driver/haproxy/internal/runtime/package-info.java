/**
 * Talking to a running HAProxy: the stats-socket client, {@code show stat} parsing, the runtime
 * API plan for member changes and the counters carried across reloads.
 */
package org.lbaas.driver.haproxy.internal.runtime;

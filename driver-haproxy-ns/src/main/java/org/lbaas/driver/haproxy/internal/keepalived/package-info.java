/**
 * keepalived (VRRPv3) configuration for the active/standby topology, not exported: the HA link
 * addressing of a pair ({@link org.lbaas.driver.haproxy.internal.keepalived.HaAddressing}, {@link
 * org.lbaas.driver.haproxy.internal.keepalived.HaPair}), the typed configuration ({@link
 * org.lbaas.driver.haproxy.internal.keepalived.KeepalivedConfig}) and its renderer ({@link
 * org.lbaas.driver.haproxy.internal.keepalived.KeepalivedRenderer}). Same discipline as the HAProxy
 * renderer: one validation routine per kind of word, no free text. Not wired into the driver yet.
 */
package org.lbaas.driver.haproxy.internal.keepalived;

/**
 * Interface drivers: how a VIP port is plugged into an instance's namespace (Linux bridge veth
 * pair, Open vSwitch internal port, or nothing), described as commands the data plane batches.
 */
package org.lbaas.driver.haproxy.internal.iface;

/**
 * Internals of the haproxy-ns driver, not exported: instance identity and files (every read and
 * write of an instance's state directory), the configuration-renderer seam, the host view
 * (namespaces, devices, processes), atomic files, and what the subsystems share: how commands
 * run ({@code HostShell}), undo steps ({@code Rollback}) and the mapping of failures to
 * {@code DriverException} ({@code Failures}). The subsystems live in the sub-packages
 * {@code netns} (namespace plumbing), {@code process} (HAProxy process control, probe),
 * {@code runtime} (stats socket) and {@code config} (the renderer), {@code iface} (interface
 * drivers), {@code keepalived} (VRRP configuration and HA link addressing for active/standby; not
 * used by the driver yet).
 */
package org.lbaas.driver.haproxy.internal;

/**
 * The LBaaS v1 domain model: immutable records for pools, members, health monitors, VIPs, session
 * persistence and subnets, and {@link org.lbaas.model.LoadBalancer}, the aggregate a driver
 * receives.
 *
 * <p>Every record validates itself when it is constructed and reports every broken rule at once
 * in one {@link org.lbaas.model.ValidationException}; no invalid object can exist. Violation paths
 * use the Neutron LBaaS v1 attribute names ({@code protocol_port}, {@code session_persistence.cookie_name}).
 * Nothing in this package is {@code null}: optional values are {@link java.util.Optional}.
 * The model knows nothing of JSON, HAProxy or shells; it depends on the JDK and Guava only.
 */
package org.lbaas.model;

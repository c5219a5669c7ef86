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
 *
 * <h2>Vocabulary</h2>
 * One word per thing, in every module, its javadoc and its messages:
 * <dl>
 *   <dt>load balancer</dt>
 *   <dd>The aggregate: one pool with its members, the health monitors associated with it, its VIP
 *       (at most one), the VIP's subnet and the instance addresses on that subnet. Type {@link org.lbaas.model.LoadBalancer}; it is
 *       identified by its pool's id. Neutron v1 called it the "logical device". It is the unit of
 *       everything: a driver deploys, observes and removes whole load balancers, the service
 *       stores and changes them one at a time.</dd>
 *   <dt>pool, member, health monitor, VIP</dt>
 *   <dd>The parts, with Neutron's meaning: {@link org.lbaas.model.Pool} (protocol, method,
 *       provider), {@link org.lbaas.model.Member} (a backend address and port with a weight),
 *       {@link org.lbaas.model.HealthMonitor} (how members are checked; shared by pools of one
 *       tenant), {@link org.lbaas.model.Vip} (the address clients connect to, with session
 *       persistence and a connection limit).</dd>
 *   <dt>association</dt>
 *   <dd>A health monitor associated with a pool, with the status of that association
 *       ({@link org.lbaas.model.PoolMonitorAssociation}).</dd>
 *   <dt>deployable</dt>
 *   <dd>A load balancer whose VIP exists and is admin up: the only kind a driver makes serve
 *       traffic ({@link org.lbaas.model.LoadBalancer#isDeployable()}).</dd>
 *   <dt>status, pending</dt>
 *   <dd>{@link org.lbaas.model.Status} of each part; a part is pending while a driver call that
 *       changes it has not finished.</dd>
 *   <dt>view</dt>
 *   <dd>What the service answers for one part, with the ids that Neutron shows beside it
 *       ({@code PoolView}, {@code HealthMonitorView} in {@code org.lbaas.api}); a view is never
 *       a second model.</dd>
 *   <dt>stored load balancer</dt>
 *   <dd>A load balancer as a repository keeps it, with the service's revision and every status
 *       ({@code org.lbaas.api}); the only other spelling of the aggregate, kept for persistence.</dd>
 *   <dt>driver, instance</dt>
 *   <dd>A driver turns load balancers into a data plane; what it runs for one load balancer is
 *       its instance (for the reference driver: one HAProxy process in one network namespace
 *       {@code qlbaas-<pool id>}); a driver may run several instances of one load balancer
 *       (an active/standby pair), numbered by ordinal from 0.</dd>
 *   <dt>instance address</dt>
 *   <dd>An address on the VIP's subnet reserved for one instance of a load balancer (element
 *       {@code i} of {@link org.lbaas.model.LoadBalancer#instanceAddresses()} is instance
 *       {@code i}'s), as Octavia gives each amphora a port of its own. The service allocates as
 *       many as the driver declares, with the VIP and from the same subnet, keeps them while the
 *       VIP exists and drops them with it; they are never a VIP's address nor one of the load
 *       balancer's members', and never appear in Neutron's API.</dd>
 *   <dt>document</dt>
 *   <dd>One load balancer written as one JSON text in Neutron's attribute names, as the
 *       {@code lbaas} command reads it from a file ({@code NeutronJson#readDocument}).</dd>
 *   <dt>rule, violation</dt>
 *   <dd>A rule is a constraint of this model, checked where a record is built; a
 *       {@link org.lbaas.model.Violation} names the field, the bad value and the rule it breaks.
 *       The testkit's {@code BrokenRule} labels generated invalid load balancers by the rule they
 *       break.</dd>
 * </dl>
 */
package org.lbaas.model;

/**
 * The LBaaS v1 service that callers embed: create, update, read and delete pools, members, health
 * monitors and VIPs, delegated to a driver found by name.
 *
 * <p>Entry point: {@link org.lbaas.api.LoadBalancerService#builder()}. Requests are records
 * ({@link org.lbaas.api.PoolCreate}, {@link org.lbaas.api.VipUpdate}, ...); partial updates hold
 * {@link java.util.Optional} fields, where absent means "keep". Changes answer with a
 * {@link org.lbaas.api.Pending}: the object as stored at once, and a stage that completes once the
 * driver has finished. Failures are subclasses of {@link org.lbaas.api.LbaasException}, each
 * naming the kind and id of the object concerned. Objects are kept by a
 * {@link org.lbaas.api.Repository} ({@link org.lbaas.api.Repository#inMemory()} or the durable
 * {@link org.lbaas.api.Repository#fileStore(java.nio.file.Path)}). Nothing in this package is
 * {@code null}; implementations are package-private.
 *
 * <p>A <em>load balancer</em> is the aggregate of one pool with its members, its health monitor
 * associations and its VIP, identified by the pool's id. The service answers it in Neutron's
 * terms, one object at a time ({@link org.lbaas.api.PoolView}, {@link org.lbaas.model.Member},
 * {@link org.lbaas.api.HealthMonitorView}, {@link org.lbaas.model.Vip}), hands it to the driver
 * whole ({@link org.lbaas.model.LoadBalancer}) and stores it as one document
 * ({@link org.lbaas.api.StoredLoadBalancer}).
 */
package org.lbaas.api;

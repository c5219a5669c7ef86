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
 */
package org.lbaas.api;

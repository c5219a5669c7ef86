/**
 * Many network nodes behind one desired state in Apache ZooKeeper, coordinated through Apache
 * Curator's recipes.
 *
 * <p><b>The desired state.</b> {@link org.lbaas.cluster.ZooKeeperRepository} is a
 * {@link org.lbaas.api.Repository} in znodes ({@code <root>/store/load-balancers/<pool id>},
 * {@code <root>/store/health-monitors/<monitor id>}, root {@code /lbaas} by default), holding the
 * same documents as the file store. Every controller's {@link org.lbaas.api.LoadBalancerService}
 * can use it: each write is a compare-and-set on the znode version the repository last read or
 * wrote, so a controller with a stale view gets a
 * {@link org.lbaas.cluster.ConcurrentUpdateException} instead of overwriting another's change; a
 * document over the size limit is refused ({@link org.lbaas.cluster.DocumentTooLargeException});
 * a malformed znode is logged and skipped. A restarted service loads everything back:
 * <pre>{@code
 * CuratorFramework zk = ZooKeeperClients.connect("zk1:2181,zk2:2181,zk3:2181",
 *         Duration.ofSeconds(15), Duration.ofSeconds(5));
 * LoadBalancerService service = LoadBalancerService.builder()
 *         .repository(ZooKeeperRepository.create(zk, "/lbaas"))
 *         .driver(driver).subnets(subnets).build();
 * }</pre>
 * <p><b>Several controllers.</b> Any number of services (each with its REST front) run over one
 * store, each with its own client, repository, {@link org.lbaas.cluster.ClusterDriver} and
 * {@link org.lbaas.cluster.Scheduler}:
 * <pre>{@code
 * ZooKeeperRepository store = ZooKeeperRepository.create(zk);
 * Scheduler scheduler = Scheduler.builder().client(zk).id("controller-1").build().start();
 * ClusterDriver driver = ClusterDriver.builder().client(zk).store(store).scheduler(scheduler)
 *         .capabilities(agentCapabilities).build();
 * LoadBalancerService service = LoadBalancerService.builder()
 *         .repository(store).driver(driver).subnets(subnets).build();
 * }</pre>
 * The repository is {@linkplain org.lbaas.api.Repository#shared() shared}: each service follows
 * the documents the others store (reads show every controller's changes, statuses included,
 * within milliseconds), a change whose compare-and-set is lost is made again on the newer
 * document (a few times, then a 409 {@link org.lbaas.api.ConflictException}), and VIP addresses
 * and ports are claimed in ZooKeeper in the document's own transaction, so two controllers never
 * give one address to two VIPs. Work items carry the store version, so a slower controller never
 * undoes a newer state on the agents, and only the controller whose scheduler leads self-heals.
 *
 * {@link org.lbaas.cluster.ZooKeeperClients#connect} fails within the connect timeout, naming the
 * connect string, when no server answers ({@link org.lbaas.cluster.ZooKeeperUnreachableException});
 * the caller closes the client after the service.
 *
 * <p><b>The runtime.</b> A controller hands load balancers to the cluster through a
 * {@link org.lbaas.cluster.ClusterDriver} (a {@link org.lbaas.driver.spi.LoadBalancerDriver} for
 * its service: the SPI stays the seam) and runs a {@link org.lbaas.cluster.Scheduler}; of all the
 * controllers' schedulers one is active at a time (a Curator leader latch) and places each load
 * balancer's instances on the least loaded live agents, the two instances of an active/standby
 * pair on two agents. Every network node runs an {@link org.lbaas.cluster.Agent} with its local
 * driver (any SPI driver; one per instance ordinal through {@link org.lbaas.cluster.AgentDrivers}):
 * it registers itself as an ephemeral znode, applies what is placed on it, reports back, and
 * reconciles its host at start. When an agent's session ends, the scheduler moves its instances
 * after a grace period; an agent cut off from ZooKeeper fences itself (stops serving) before that.
 * {@link org.lbaas.cluster.ClusterView} reads who runs what, and
 * {@link org.lbaas.cluster.EmbeddedZooKeeper} runs one real ZooKeeper server in this JVM for trials:
 * <pre>{@code
 * // every network node
 * Agent agent = Agent.builder().client(zk).agentId("node-1").drivers(AgentDrivers.of(localDriver))
 *         .build().start();
 * // every controller
 * Scheduler scheduler = Scheduler.builder().client(zk).build().start();
 * LoadBalancerService service = LoadBalancerService.builder()
 *         .repository(ZooKeeperRepository.create(zk))
 *         .driver(ClusterDriver.builder().client(zk).capabilities(localDriver.capabilities()).build())
 *         .subnets(subnets).build();
 * }</pre>
 */
package org.lbaas.cluster;

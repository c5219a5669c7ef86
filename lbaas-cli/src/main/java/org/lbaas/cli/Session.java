package org.lbaas.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lbaas.api.LoadBalancerService;
import org.lbaas.api.Repository;
import org.lbaas.api.StoredLoadBalancer;
import org.lbaas.api.SubnetRegistry;
import org.lbaas.driver.spi.DriverException;
import org.lbaas.driver.spi.LoadBalancerDriver;
import org.lbaas.driver.spi.ReconcileReport;
import org.lbaas.driver.spi.shell.ShellExecutor;
import org.lbaas.model.Subnet;

/**
 * A {@link LoadBalancerService} over the haproxy-ns driver and a repository, as an application
 * builds one, for the length of one command. Closing it stops the service's threads and releases
 * the driver; the load balancers keep running. Self-healing is off: a one-shot command exits at
 * once and must not race an operator (or another command) by repairing on its own; {@code lbaas
 * serve}, which runs until stopped, builds its own service with self-healing on.
 */
final class Session implements AutoCloseable {

    /** How long one driver call may take before its objects go to ERROR. */
    static final Duration DRIVER_DEADLINE = Duration.ofSeconds(60);

    private final ReportingDriver driver;
    private final LoadBalancerService service;

    private Session(ReportingDriver driver, LoadBalancerService service) {
        this.driver = driver;
        this.service = service;
    }

    /**
     * Creates the driver and starts the service, which reconciles what runs with what the
     * repository holds.
     *
     * @param step the command, for messages
     * @param settings the driver's settings
     * @param shell how the driver runs commands
     * @param repository where the service keeps its objects
     * @param extraSubnets subnets the service may need besides those stored (a document's)
     * @return the session
     */
    static Session open(String step, Map<String, String> settings, ShellExecutor shell, Repository repository,
                        List<Subnet> extraSubnets) {
        LoadBalancerDriver raw;
        try {
            raw = DriverFactory.create(settings, shell);
        } catch (DriverException e) {
            throw new InvalidInputException(step + ": driver settings: " + CliException.oneLine(e.operatorMessage()));
        }
        ReportingDriver driver = new ReportingDriver(raw);
        try {
            Map<UUID, Subnet> subnets = new HashMap<>();
            for (StoredLoadBalancer s : repository.load().loadBalancers()) {
                subnets.put(s.poolSubnet().id(), s.poolSubnet());
                s.vipSubnet().ifPresent(v -> subnets.put(v.id(), v));
            }
            extraSubnets.forEach(s -> subnets.put(s.id(), s));
            Map<UUID, Subnet> fixed = Map.copyOf(subnets);
            SubnetRegistry registry = id -> Optional.ofNullable(fixed.get(Objects.requireNonNull(id, "subnetId")));
            LoadBalancerService service = LoadBalancerService.builder()
                    .driver(driver)
                    .repository(repository)
                    .subnets(registry)
                    .driverDeadline(DRIVER_DEADLINE)
                    .threads(2)
                    .providerName(DriverFactory.DEFAULT_DRIVER)
                    .selfHealing(Duration.ZERO)
                    .build();
            return new Session(driver, service);
        } catch (RuntimeException | Error e) {
            driver.close();
            throw Failures.of(step + ": start the service", e);
        }
    }

    LoadBalancerService service() {
        return service;
    }

    ReportingDriver driver() {
        return driver;
    }

    /** Returns the report of the reconcile the service ran when it started, if it ran one. */
    Optional<ReconcileReport> startupReconcile() {
        List<ReconcileReport> r = driver.reports();
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            driver.close();
        }
    }
}

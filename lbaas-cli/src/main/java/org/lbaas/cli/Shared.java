package org.lbaas.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lbaas.driver.spi.DriverConfig;
import org.lbaas.driver.spi.Drivers;
import org.lbaas.driver.spi.LoadBalancerDriver;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options and argument descriptions several commands share, declared once. */
final class Shared {

    /** The description of a {@code FILE} argument. */
    static final String FILE = "the load balancer document (JSON); - reads standard input";
    /** The description of a {@code POOL_ID} argument. */
    static final String POOL_ID = "the document's pool id, which deploy prints";

    private Shared() {
    }

    /** A command that keeps its state in a {@link StateDir}: {@code --state-dir DIR}. */
    abstract static class StateDirCommand extends LbaasCommand {
        @Mixin
        StateDirOption stateDirOption;

        /** The state directory this command names (checked, not created). */
        final StateDir stateDir() {
            return StateDir.of(name(), stateDirOption.get(), host());
        }
    }

    /** A command that also chooses the driver settings a state directory remembers. */
    abstract static class PlacedCommand extends StateDirCommand {
        @Mixin
        PlacementOptions placement;
    }

    /**
     * A command that builds a driver from options: {@code --driver NAME}, the settings a state
     * directory remembers ({@link PlacementOptions}) and {@code --driver-setting KEY=VALUE}
     * ({@code lbaas serve} and {@code lbaas agent}).
     */
    abstract static class DriverCommand extends LbaasCommand {
        @Option(names = "--driver", paramLabel = "NAME", description = "the driver that carries the load balancers (default haproxy-ns)")
        String driver = DriverFactory.DEFAULT_DRIVER;

        @Mixin
        PlacementOptions placement;

        @Option(names = "--driver-setting", paramLabel = "KEY=VALUE", split = ",", converter = ServeCommand.Setting.Parser.class,
                description = "more driver settings (see the driver's documentation); repeatable")
        List<ServeCommand.Setting> driverSettings = new ArrayList<>();

        /**
         * The driver settings: {@code --driver-setting}s, then the named options; with a state
         * directory, what it remembers under them, stored again with this run's choices, and for
         * {@code haproxy-ns} its {@code state_dir}.
         */
        Map<String, String> settings(Optional<StateDir> dir) {
            Map<String, String> given = new LinkedHashMap<>();
            driverSettings.forEach(s -> given.put(s.key(), s.value()));
            Map<String, String> named = new LinkedHashMap<>();
            StateDir.REMEMBERED.keySet().forEach(key -> {
                if (given.containsKey(key)) {
                    named.put(key, given.remove(key));
                }
            });
            named.putAll(placement.given());
            Map<String, String> out = new LinkedHashMap<>(given);
            if (dir.isPresent()) {
                Map<String, String> remembered = dir.get().driverSettings(named, true);
                remembered.remove("state_dir");
                out.putAll(remembered);
                if (driver.equals(DriverFactory.DEFAULT_DRIVER)) {
                    out.putIfAbsent("state_dir", dir.get().haproxy().toString());
                }
            } else {
                out.putAll(named);
            }
            return out;
        }

        /**
         * Whether these settings make a cluster's agents run the instances of a pair on two nodes:
         * the haproxy-ns driver with {@code topology=active_standby}.
         */
        final boolean splitPairs(Map<String, String> settings) {
            return driver.equals(DriverFactory.DEFAULT_DRIVER) && Topology.activeStandby(settings);
        }

        /**
         * The settings of an agent's driver for one instance ordinal of a pair: {@code placement=split},
         * {@code instance_ordinal} and, when given, a state directory of its own.
         */
        static Map<String, String> ordinalSettings(Map<String, String> settings, int ordinal, Optional<Path> stateDir) {
            Map<String, String> out = new LinkedHashMap<>(settings);
            out.put("placement", "split");
            out.put("instance_ordinal", Integer.toString(ordinal));
            stateDir.ifPresent(d -> out.put("state_dir", d.toString()));
            return out;
        }

        /** Creates the named driver with these settings. */
        final LoadBalancerDriver createDriver(Map<String, String> settings) {
            return Drivers.provider(driver).create(new DriverConfig(settings, host().shell(), Clock.systemUTC()));
        }
    }

    /** {@code --state-dir DIR}. */
    static final class StateDirOption {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "where deployments are kept (default: $LBAAS_STATE_DIR, else " + StateDir.DEFAULT + ")")
        String value;

        Optional<String> get() {
            return Optional.ofNullable(value);
        }
    }

    /**
     * The driver settings a state directory remembers: {@code --interface-driver}, {@code --bridge},
     * {@code --namespace-prefix}, {@code --topology} and {@code --ha-bridge}.
     */
    static final class PlacementOptions {
        @Option(names = "--interface-driver", paramLabel = "KIND", converter = InterfaceDriver.class,
                description = "how a VIP is plugged into its namespace: linuxbridge (veth into --bridge), ovs (Open vSwitch port),"
                        + " noop (the host plumbs namespaces); default: as deployed, else linuxbridge")
        String interfaceDriver;

        @Option(names = "--bridge", paramLabel = "NAME",
                description = "the bridge VIP ports join (must exist); default: as deployed, else br-lbaas")
        String bridge;

        @Option(names = "--namespace-prefix", paramLabel = "PREFIX",
                description = "namespaces are PREFIX<pool id>; reconcile removes only those this state directory"
                        + " recorded and lists the others as left alone (default: as deployed, else qlbaas-)")
        String namespacePrefix;

        @Option(names = "--topology", paramLabel = "KIND", converter = Topology.class,
                description = "single: one HAProxy per load balancer; active-standby: a pair, each with HAProxy and"
                        + " keepalived in its own namespace (PREFIX<pool id> and PREFIX<pool id>-1), the VIP on the VRRP"
                        + " master, moved to the other one when anything on the active side fails (needs keepalived and"
                        + " util-linux flock; lbaas reconcile, or serve by itself, repairs the failed instance);"
                        + " fixed while load balancers are deployed (default: as deployed, else single)")
        String topology;

        @Option(names = "--ha-bridge", paramLabel = "NAME",
                description = "with active-standby: the bridge carrying the pairs' VRRP and stick-table links, created"
                        + " when missing and left in place; fixed while load balancers are deployed (default: as deployed,"
                        + " else lbaas-ha)")
        String haBridge;

        /**
         * The driver settings given, by setting name ({@code interface_driver}, {@code bridge}, {@code namespace_prefix},
         * {@code topology}, {@code ha_bridge}).
         */
        Map<String, String> given() {
            Map<String, String> out = new LinkedHashMap<>();
            Optional.ofNullable(interfaceDriver).ifPresent(v -> out.put("interface_driver", v));
            Optional.ofNullable(bridge).ifPresent(v -> out.put("bridge", v));
            Optional.ofNullable(namespacePrefix).ifPresent(v -> out.put("namespace_prefix", v));
            Optional.ofNullable(topology).ifPresent(v -> out.put("topology", v));
            Optional.ofNullable(haBridge).ifPresent(v -> out.put("ha_bridge", v));
            return out;
        }
    }

    /**
     * {@code --topology}: {@code single} or {@code active-standby} on the command line, the driver
     * setting {@code single} or {@code active_standby}.
     */
    static final class Topology implements ITypeConverter<String> {
        /** The driver setting of a pair. */
        static final String ACTIVE_STANDBY = "active_standby";
        /** The driver setting of one HAProxy per load balancer (the driver's default). */
        static final String SINGLE = "single";

        @Override
        public String convert(String value) {
            return switch (value) {
                case "single" -> SINGLE;
                case "active-standby", "active_standby" -> ACTIVE_STANDBY;
                default -> throw new TypeConversionException("must be single or active-standby, not '" + value + "'");
            };
        }

        /** The option's spelling of a driver setting's value: {@code active_standby} is {@code active-standby}. */
        static String option(String setting) {
            return setting.replace('_', '-');
        }

        /** Whether driver settings choose pairs. */
        static boolean activeStandby(Map<String, String> settings) {
            return ACTIVE_STANDBY.equals(settings.get("topology"));
        }
    }

    /** The interface drivers the haproxy-ns driver knows. */
    static final class InterfaceDriver implements ITypeConverter<String> {
        static final List<String> KINDS = List.of("linuxbridge", "ovs", "noop");

        @Override
        public String convert(String value) {
            if (!KINDS.contains(value)) {
                throw new TypeConversionException("must be one of " + String.join(", ", KINDS) + ", not '" + value + "'");
            }
            return value;
        }
    }
}

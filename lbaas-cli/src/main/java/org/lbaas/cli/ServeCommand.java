package org.lbaas.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lbaas.rest.Serve;

/**
 * {@code lbaas serve}: hands its options to {@link Serve#run(String, String[], java.io.PrintStream,
 * java.io.PrintStream, boolean)}, which starts the REST server and blocks until the JVM shuts down.
 *
 * <p>Driver settings: {@code --namespace-prefix}, {@code --bridge}, {@code --interface-driver}
 * and {@code --driver-setting KEY=VALUE[,KEY=VALUE...]} all reach the driver. With
 * {@code --state-dir}, the settings a state directory remembers (interface driver, bridge,
 * namespace prefix; given by their options or as {@code --driver-setting}) are stored with it
 * exactly as {@code deploy} stores them, and a later {@code serve} or {@code deploy} on the same
 * directory uses them unless an option overrides them; other {@code --driver-setting}s apply to
 * this run only.
 */
final class ServeCommand {

    private static final List<String> PASSED = List.of("port", "bind", "driver", "state-dir", "subnets", "token", "tenant");

    private ServeCommand() {
    }

    static int run(Invocation inv) {
        List<String> args = new ArrayList<>();
        for (String name : PASSED) {
            inv.option(name).ifPresent(value -> {
                args.add("--" + name);
                args.add(value);
            });
        }
        Map<String, String> settings = settings(inv);
        settings.forEach((key, value) -> {
            args.add("--driver-setting");
            args.add(key + "=" + value);
        });
        if (inv.verbosity() > 0) {
            args.add("--verbose");
        }
        return Serve.run("lbaas serve", args.toArray(String[]::new), inv.out(), inv.err(), false);
    }

    /**
     * The driver settings: {@code --driver-setting}s, then the named options; with a state
     * directory, what it remembers under them, stored again with this run's choices.
     */
    static Map<String, String> settings(Invocation inv) {
        Map<String, String> given = new LinkedHashMap<>();
        inv.option("driver-setting").ifPresent(list -> {
            for (String kv : list.split(",")) {
                int at = kv.indexOf('=');
                if (at <= 0) {
                    throw new UsageException("lbaas serve: --driver-setting wants KEY=VALUE[,KEY=VALUE...], not '" + list + "'");
                }
                given.put(kv.substring(0, at).strip(), kv.substring(at + 1).strip());
            }
        });
        Map<String, String> options = new LinkedHashMap<>(inv.options());
        StateDir.REMEMBERED.forEach((key, option) -> {
            if (given.containsKey(key)) {
                options.putIfAbsent(option, given.remove(key));
            }
        });
        Map<String, String> out = new LinkedHashMap<>(given);
        if (inv.option("state-dir").isPresent()) {
            Invocation withNamed = new Invocation(inv.command(), inv.operands(), options, inv.verbosity(), inv.io());
            Map<String, String> remembered = StateDir.of(inv).driverSettings(withNamed, true);
            remembered.remove("state_dir");
            out.putAll(remembered);
        } else {
            StateDir.REMEMBERED.forEach((key, option) -> {
                String v = options.get(option);
                if (v != null) {
                    out.put(key, v);
                }
            });
        }
        return out;
    }
}

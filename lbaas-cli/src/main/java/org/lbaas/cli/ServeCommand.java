package org.lbaas.cli;

import java.util.ArrayList;
import java.util.List;
import org.lbaas.rest.Serve;

/**
 * {@code lbaas serve}: hands its options to {@link Serve#run(String[], java.io.PrintStream,
 * java.io.PrintStream)}, which starts the REST server and blocks until the JVM shuts down.
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
        int status = Serve.run(args.toArray(String[]::new), inv.out(), inv.err());
        if (status == 2) {
            throw new UsageException("lbaas serve: invalid options (see lbaas serve --help)");
        }
        return status;
    }
}

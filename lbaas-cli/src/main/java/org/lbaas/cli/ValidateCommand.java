package org.lbaas.cli;

import java.util.ArrayList;
import java.util.List;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.LoadBalancer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lbaas validate FILE}: the document's rules, then the driver's capabilities. */
@Command(name = "validate", description = "check a load balancer document and list every violation",
        footer = {"Prints one line per violation on standard error, as `path: message`, and exits 2; prints a one-line"
                + " summary and exits 0 when the document is valid. The document is {\"subnet\": {...}, \"pool\": {...},"
                + " \"vip\": {...}, \"members\": [...], \"health_monitors\": [...]} with Neutron LBaaS v1 attribute names"
                + " (see lbaas-cli/examples/web.json)."})
final class ValidateCommand extends LbaasCommand {

    @Parameters(paramLabel = "FILE", description = Shared.FILE)
    String file;

    @Option(names = "--driver", paramLabel = "NAME",
            description = "also check the document against this driver's capabilities (default: haproxy-ns; none: skip)")
    String driver = DriverFactory.DEFAULT_DRIVER;

    @Override
    public Integer call() {
        LoadBalancer lb = Documents.read(file, io());
        if (!driver.equals("none")) {
            Capabilities caps = DriverFactory.capabilities(driver);
            List<String> unsupported = new ArrayList<>(Failures.lines(caps.unsupported(lb)));
            if (!unsupported.isEmpty()) {
                throw new InvalidInputException(unsupported);
            }
        }
        out().println(file + ": valid: " + Describe.summary(lb)
                + (driver.equals("none") ? "" : "; supported by driver " + driver));
        return 0;
    }
}

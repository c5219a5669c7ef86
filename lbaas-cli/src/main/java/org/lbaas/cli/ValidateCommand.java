package org.lbaas.cli;

import java.util.ArrayList;
import java.util.List;
import org.lbaas.driver.spi.Capabilities;
import org.lbaas.model.LoadBalancer;

/** {@code lbaas validate FILE}: the document's rules, then the driver's capabilities. */
final class ValidateCommand {

    private ValidateCommand() {
    }

    static int run(Invocation inv) {
        String file = inv.operand("FILE");
        LoadBalancer lb = Documents.read(file, inv.io());
        String driver = inv.option("driver").orElse(DriverFactory.DEFAULT_DRIVER);
        if (!driver.equals("none")) {
            Capabilities caps = DriverFactory.capabilities(driver);
            List<String> unsupported = new ArrayList<>(Failures.lines(caps.unsupported(lb)));
            if (!unsupported.isEmpty()) {
                throw new InvalidInputException(unsupported);
            }
        }
        inv.out().println(file + ": valid: " + Describe.summary(lb)
                + (driver.equals("none") ? "" : "; supported by driver " + driver));
        return 0;
    }
}
